# The raw stdio echo for the bench: messages are a u32 little-endian length, then that many
# bytes of JSON (a number, or an array of numbers for a batch). Each is answered with its
# value + 1 (an array with one array), and the replies to one read go out in one write.
# Exits at once when stdin ends.
import json
import os
import struct

buf = b''
while True:
    chunk = os.read(0, 1 << 16)
    if not chunk:
        os._exit(0)
    buf += chunk
    off = 0
    n = len(buf)
    parts = []
    while n - off >= 4:
        (size,) = struct.unpack_from('<I', buf, off)
        if n - off - 4 < size:
            break
        v = json.loads(buf[off + 4:off + 4 + size])
        body = json.dumps([x + 1 for x in v] if isinstance(v, list) else v + 1).encode()
        parts.append(struct.pack('<I', len(body)))
        parts.append(body)
        off += 4 + size
    buf = buf[off:]
    if parts:
        out = memoryview(b''.join(parts))
        while out:
            out = out[os.write(1, out):]
