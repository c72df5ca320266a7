/**
 * The raw TCP end of the cluster workloads' limit, in a child process: listens on a random
 * 127.0.0.1 port, prints `{"ready":true,"port":N}`, and reads 4-byte big-endian length
 * frames without allocating per frame. Kind byte 1: echo the frame (round trip); 2: a
 * one-way run of the count in bytes 1..4 starts; 3: one one-way message, and after the
 * last of the run it writes back the ack frame `[0,0,0,1,9]`.
 */
import net from 'node:net';

function frameParser(onFrame: (buf: Buffer, start: number, len: number) => void): (chunk: Buffer) => void {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buf = buf.length > 0 ? Buffer.concat([buf, chunk]) : chunk;
    let off = 0;
    const end = buf.length;
    while (end - off >= 4) {
      const len = buf.readUInt32BE(off);
      if (end - off - 4 < len) break;
      onFrame(buf, off + 4, len);
      off += 4 + len;
    }
    buf = off === end ? Buffer.alloc(0) : buf.subarray(off);
  };
}

const server = net.createServer((sock) => {
  sock.setNoDelay(true);
  let expect = 0;
  let got = 0;
  sock.on(
    'data',
    frameParser((b, s, len) => {
      const kind = b[s];
      if (kind === 1) {
        const out = Buffer.allocUnsafe(4 + len);
        out.writeUInt32BE(len, 0);
        b.copy(out, 4, s, s + len);
        sock.write(out);
      } else if (kind === 2) {
        expect = b.readUInt32BE(s + 1);
        got = 0;
      } else if (kind === 3) {
        if (++got === expect) sock.write(Buffer.from([0, 0, 0, 1, 9]));
      }
    }),
  );
  sock.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as net.AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: true, port: address.port })}\n`);
});
