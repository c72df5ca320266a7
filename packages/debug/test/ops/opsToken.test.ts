/**
 * On TCP every op needs the token: an `actor`, `trace`, `untrace` or `control` line
 * without it or with a wrong one (one with bad arguments too) gets one `unauthorized` line
 * and the connection is closed, before anything is done; with it, each op is answered.
 */
import test from 'ava';
import { Counter, endpointSystem } from '../support/opsApp.js';
import { lineClient } from '../support/lineClient.js';

const TOKEN = 'op-test-token-0123456789';

test('TCP: actor, trace, untrace and control without the token or with a wrong one are refused unauthorized and the connection closed', async (t) => {
  const { system, endpoint } = await endpointSystem(t, { port: 0, token: TOKEN });
  const counter = await system.spawn(Counter, 0);
  const lines = [
    { op: 'actor', id: counter.id },
    { op: 'trace', id: counter.id, max: 10 },
    { op: 'untrace' },
    { op: 'control', action: 'kill', id: counter.id },
    { op: 'control', action: 'suspend', id: counter.id },
    { op: 'trace', id: counter.id }, // bad arguments: still unauthorized first
  ];
  for (const line of lines) {
    for (const token of [undefined, 'wrong-token-0123456789']) {
      const c = await lineClient(endpoint);
      c.send(token === undefined ? line : { ...line, token });
      const a = await c.next();
      t.is((a['error'] as { code: string }).code, 'unauthorized', `${JSON.stringify(line)} token ${token}`);
      await c.closed;
    }
  }
  t.true(system.isAlive(counter), 'not killed');
  t.is(system.getStatus(counter).status, 'waiting', 'not suspended');
  t.deepEqual(system.traces(), [], 'not traced');
});

test('TCP: with the token each op is answered', async (t) => {
  const { system, endpoint } = await endpointSystem(t, { port: 0, token: TOKEN });
  const counter = await system.spawn(Counter, 4);
  const c = await lineClient(endpoint);
  c.send({ op: 'actor', id: counter.id, token: TOKEN });
  t.is(((await c.next())['actor'] as { state: string }).state, "{ count: 4, tags: [ 'a', 'b' ] }");
  c.send({ op: 'trace', id: counter.id, max: 10, token: TOKEN });
  t.deepEqual(await c.next(), { ok: true, trace: 'started' });
  c.send({ op: 'untrace', token: TOKEN });
  t.deepEqual(await c.next(), { ended: { reason: 'stopped', events: 0 }, stoppedBy: 'untrace' });
  c.send({ op: 'control', action: 'suspend', id: counter.id, token: TOKEN });
  t.deepEqual(await c.next(), { ok: true });
  t.is(system.getStatus(counter).status, 'suspended');
  c.send({ op: 'control', action: 'resume', id: counter.id, token: TOKEN });
  t.deepEqual(await c.next(), { ok: true });
  c.send({ op: 'untrace' }); // a later line without the token closes the connection too
  t.is(((await c.next())['error'] as { code: string }).code, 'unauthorized');
  await c.closed;
});
