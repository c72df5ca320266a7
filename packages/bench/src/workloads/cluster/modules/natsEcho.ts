/**
 * The bare NATS end of the cluster workloads, in a child process: connects to `argv[2]`
 * with the official client, answers every message on `argv[3]` by publishing its data to
 * the message's reply subject, and prints `{"ready":true}` once subscribed.
 */
import { connect } from '@nats-io/transport-node';

const [servers, subject] = process.argv.slice(2);
const nc = await connect({ servers: servers!, name: 'bench-nats-echo' });
nc.subscribe(subject!, {
  callback: (err, m) => {
    if (err === null && m.reply !== undefined && m.reply !== '') nc.publish(m.reply, m.data);
  },
});
await nc.flush();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
