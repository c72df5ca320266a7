/**
 * The failure detector on its own, with a recording host and real timers. What is asserted is
 * the order of events (which heartbeat tick had run when a peer was declared down), never a
 * duration: margins of a whole heartbeat keep it independent of the machine's speed.
 */
import test from 'ava';
import { sleep } from '@arbor/test-support';
import { FailureDetector, type DetectorHost } from '../../src/node/FailureDetector.js';
import { Peer } from '../../src/node/Peer.js';

/** A host that records what the detector did, in order. */
function recordingHost(): DetectorHost & { events: string[]; peers: Map<string, Peer>; left: boolean } {
  const events: string[] = [];
  return {
    events,
    peers: new Map<string, Peer>(),
    disconnectedAt: null,
    left: false,
    beat: () => events.push('beat'),
    down: (peer) => {
      peer.state = 'down';
      events.push(`down ${peer.incarnation}`);
    },
    allDown: () => events.push('allDown'),
    stalled: () => events.push('stalled'),
  };
}

function upPeer(incarnation: string, lastHeard: number): Peer {
  const peer = new Peer(incarnation, lastHeard);
  peer.state = 'up';
  return peer;
}

test.serial('a peer whose downAfterMs runs out between two ticks is down at its deadline, before the next tick', async (t) => {
  const host = recordingHost();
  const heartbeatMs = 1000;
  const detector = new FailureDetector(host, heartbeatMs, 2000);
  // Silent for half a heartbeat at the start: due half a heartbeat after the first tick.
  host.peers.set('b~1', upPeer('b~1', Date.now() - 500));
  detector.start();
  try {
    for (let i = 0; i < 400 && !host.events.includes('down b~1'); i++) await sleep(10);
    t.deepEqual(host.events, ['beat', 'down b~1'], 'one tick armed the deadline; down came before the second tick');
  } finally {
    detector.stop();
  }
});

test.serial('a peer heard from again before its deadline is not down; it is judged again from then on', async (t) => {
  const host = recordingHost();
  const detector = new FailureDetector(host, 200, 400);
  const peer = upPeer('b~1', Date.now() - 300);
  host.peers.set('b~1', peer);
  detector.start();
  try {
    // Keep hearing from it (every 50 ms) for a while: never down.
    for (let i = 0; i < 30; i++) {
      peer.lastHeard = Date.now();
      await sleep(50);
    }
    t.false(host.events.includes('down b~1'));
    // Then silence: down, once.
    for (let i = 0; i < 300 && !host.events.includes('down b~1'); i++) await sleep(10);
    await sleep(300);
    t.is(host.events.filter((e) => e === 'down b~1').length, 1);
  } finally {
    detector.stop();
  }
});

test.serial('a deadline that fires a heartbeat late (our loop stalled) judges nothing: the next tick does, after the stall is logged', async (t) => {
  const host = recordingHost();
  const heartbeatMs = 200;
  const detector = new FailureDetector(host, heartbeatMs, 400);
  host.peers.set('b~1', upPeer('b~1', Date.now() - 100)); // due 100 ms after the first tick
  const beat = host.beat;
  host.beat = () => {
    beat();
    // Right after the first tick (it arms the deadline), before any timer: block the loop for
    // well over a heartbeat, so the deadline and the next tick both run late.
    if (host.events.length === 1) {
      setImmediate(() => {
        const until = Date.now() + 3 * heartbeatMs;
        while (Date.now() < until) {
          /* a stall of our own event loop */
        }
      });
    }
  };
  detector.start();
  try {
    for (let i = 0; i < 400 && !host.events.includes('down b~1'); i++) await sleep(10);
    const stalled = host.events.indexOf('stalled');
    t.true(stalled > 0, `the stall was seen: ${host.events.join(', ')}`);
    t.true(host.events.indexOf('down b~1') > stalled + 1, `down only at a tick after the stall: ${host.events.join(', ')}`);
  } finally {
    detector.stop();
  }
});

test.serial('stop(), also from inside a tick (in its beat), judges nothing more: the armed deadline is disarmed', async (t) => {
  const host = recordingHost();
  const detector = new FailureDetector(host, 100, 200);
  host.peers.set('b~1', upPeer('b~1', Date.now() - 50)); // due between the first and the second tick
  const beat = host.beat;
  host.beat = () => {
    beat();
    if (host.events.length === 1) setImmediate(() => detector.stop()); // after the first tick armed the deadline
  };
  detector.start();
  await sleep(600);
  t.deepEqual(host.events, ['beat'], 'no down, no tick after stop()');

  const inside = recordingHost();
  const stopping = new FailureDetector(inside, 100, 200);
  inside.peers.set('c~1', upPeer('c~1', Date.now() - 10_000)); // overdue at the first tick
  inside.beat = () => {
    inside.events.push('beat');
    stopping.stop(); // as leave() could, from a host callback
  };
  stopping.start();
  await sleep(350);
  t.deepEqual(inside.events, ['beat'], 'the tick that was running judged nothing after stop()');
});

test.serial('after the node has left, nothing is judged (it still beats)', async (t) => {
  const left = recordingHost();
  left.left = true;
  const other = new FailureDetector(left, 100, 200);
  left.peers.set('c~1', upPeer('c~1', Date.now() - 1000));
  other.start();
  await sleep(350);
  other.stop();
  t.true(left.events.includes('beat'), 'it still ticks');
  t.false(left.events.includes('down c~1'));
});

test.serial('while our own connection is down, peers are not judged at their deadlines: the tick declares all down (disconnected)', async (t) => {
  const now = Date.now();
  const host = { ...recordingHost(), disconnectedAt: now };
  host.peers.set('b~1', upPeer('b~1', now - 1)); // its deadline comes a moment before ours
  const detector = new FailureDetector(host, 100, 300);
  detector.start();
  try {
    for (let i = 0; i < 200 && !host.events.includes('allDown'); i++) await sleep(10);
    const first = host.events.findIndex((e) => e === 'allDown' || e.startsWith('down'));
    t.is(host.events[first], 'allDown', `the connection's loss is the reason: ${host.events.join(', ')}`);
  } finally {
    detector.stop();
  }
});
