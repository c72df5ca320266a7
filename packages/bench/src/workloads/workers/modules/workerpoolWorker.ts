/** workerpool's worker serving `inc: x => x + 1`. */
import workerpool from 'workerpool';

workerpool.worker({ inc: (x: number) => x + 1 });
