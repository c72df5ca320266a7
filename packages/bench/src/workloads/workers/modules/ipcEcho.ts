/** The raw fork-IPC echo: answers `x + 1` (a batch, an array, with one array); exits when the channel closes. */
process.on('message', (m: number | number[]) => {
  if (Array.isArray(m)) {
    const out = new Array<number>(m.length);
    for (let i = 0; i < m.length; i++) out[i] = m[i]! + 1;
    process.send!(out);
  } else process.send!(m + 1);
});
process.on('disconnect', () => process.exit(0));
