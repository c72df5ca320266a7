/** poolifier's thread worker serving `inc: x => x + 1`. */
import { ThreadWorker } from 'poolifier';

export default new ThreadWorker({ inc: (x?: number) => (x ?? 0) + 1 });
