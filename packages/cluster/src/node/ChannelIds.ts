import { CAST, CAST_AT, INFO, INFO_AT, NAME } from './frames.js';

/** The most ids one channel interns; casts to actors past it name their target in full. */
export const MAX_INTERNED_IDS = 1 << 16;

/**
 * The sending side of a channel's interned actor ids: the first cast to an actor in a channel
 * epoch announces its id with a small index (`[NAME, index, id]`), the later ones name the
 * target by the index alone (`[CAST_AT, index, msg]`). The table starts empty at every new
 * epoch, as the receiver's does (a channel's frames arrive all and in order, or the channel is
 * reset). @internal
 *
 * @example
 * for (const frame of peer.targets.castFrames(peer.outEpoch, ref.id, msg, false)) queue(peer, frame);
 */
export class OutboundIds {
  #epoch = -1;
  readonly #ids = new Map<string, number>();
  readonly #frames: unknown[][] = [];

  /** The frames of one cast to actor `id` on the channel of `epoch`, in order (the same array each call). */
  castFrames(epoch: number, id: string, msg: unknown, info: boolean): readonly unknown[][] {
    if (epoch !== this.#epoch) {
      this.#epoch = epoch;
      this.#ids.clear();
    }
    const frames = this.#frames;
    frames.length = 0;
    let index = this.#ids.get(id);
    if (index === undefined) {
      if (this.#ids.size >= MAX_INTERNED_IDS) {
        frames.push([info ? INFO : CAST, id, msg]);
        return frames;
      }
      this.#ids.set(id, (index = this.#ids.size));
      frames.push([NAME, index, id]);
    }
    frames.push([info ? INFO_AT : CAST_AT, index, msg]);
    return frames;
  }
}

/**
 * The receiving side: the ids a peer announced on its channel of the current epoch, by index
 * (empty again at every new epoch). @internal
 *
 * @example
 * peer.names.set(peer.inEpoch, 0, 'V1StGX'); peer.names.get(peer.inEpoch, 0); // 'V1StGX'
 */
export class InboundIds {
  #epoch = -1;
  #ids: string[] = [];

  /** Records `[NAME, index, id]`; false when the frame is malformed. */
  set(epoch: number, index: unknown, id: unknown): boolean {
    this.#at(epoch);
    if (typeof id !== 'string' || typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= MAX_INTERNED_IDS) return false;
    this.#ids[index] = id;
    return true;
  }

  /** The id announced for `index` on the channel of `epoch`, if any. */
  get(epoch: number, index: unknown): string | undefined {
    this.#at(epoch);
    return typeof index === 'number' ? this.#ids[index] : undefined;
  }

  #at(epoch: number): void {
    if (epoch === this.#epoch) return;
    this.#epoch = epoch;
    this.#ids = [];
  }
}
