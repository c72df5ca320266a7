import { FrameCodec, type RefHooks } from '../../src/index.js';

/** A stand-in for the cluster's RemoteActorRef in codec tests. */
export class FakeRemoteRef {
  constructor(readonly incarnation: string, readonly id: string) {}
}

/** A codec whose refs are FakeRemoteRefs of one incarnation (plus any extra classes). */
export function fakeCodec(incarnation: string, extra: Partial<RefHooks> = {}): FrameCodec {
  return new FrameCodec({
    refClasses: [FakeRemoteRef],
    encodeRef: (ref) => [(ref as FakeRemoteRef).incarnation, (ref as FakeRemoteRef).id],
    decodeRef: (inc, id) => new FakeRemoteRef(inc, id),
    ...extra,
  });
}

/** Encodes then decodes with the same codec. */
export function roundTrip(codec: FrameCodec, value: unknown): unknown {
  return codec.decode(codec.encode(value));
}
