/**
 * The bare NATS end of the cluster workloads, in a child process: connects to `argv[2]`
 * with the official client, answers every message on `argv[3]` by publishing its data to
 * the message's reply subject, and prints `{"ready":true}` once subscribed. With `argv[4]`,
 * it also counts the messages on that subject and their payload bytes; one that carries a
 * reply subject is answered with the count and the bytes so far (two 4-byte big-endian
 * numbers, it included), which then start again from 0: the one-way peer of `remote_cast`.
 */
import { connect } from '@nats-io/transport-node';

const [servers, subject, oneWaySubject] = process.argv.slice(2);
const nc = await connect({ servers: servers!, name: 'bench-nats-echo' });
nc.subscribe(subject!, {
  callback: (err, m) => {
    if (err === null && m.reply !== undefined && m.reply !== '') nc.publish(m.reply, m.data);
  },
});
if (oneWaySubject !== undefined) {
  let count = 0;
  let bytes = 0;
  nc.subscribe(oneWaySubject, {
    callback: (err, m) => {
      if (err !== null) return;
      count++;
      bytes += m.data.length;
      if (m.reply === undefined || m.reply === '') return;
      const answer = new Uint8Array(8);
      const view = new DataView(answer.buffer);
      view.setUint32(0, count);
      view.setUint32(4, bytes);
      count = 0;
      bytes = 0;
      nc.publish(m.reply, answer);
    },
  });
}
await nc.flush();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
