/**
 * The frames nodes exchange, as small arrays (`[kind, ...fields]`) batched per destination:
 * one NATS message carries the head `[fromIncarnation, epoch, seq, frameLengths]` then the
 * encoded frames back to back (wire/FrameBatch.ts). Ids are actor ids of
 * the receiving node unless a field says `from`. @internal
 *
 * @example
 * frames.push([CAST, toId, msg]);
 */
export const CAST = 1; //        [CAST, toId, msg]
export const INFO = 2; //        [INFO, toId, msg]
export const CALL = 3; //        [CALL, toId, cid, request]
export const REPLY = 4; //       [REPLY, cid, value]
export const CALL_FAIL = 5; //   [CALL_FAIL, cid, kind ('noproc' | 'exit' | 'dropped' | 'error'), detail]
export const EXIT = 6; //        [EXIT, toId, fromId, reason, linked (0 | 1)]
export const LINK = 7; //        [LINK, toId, fromId]
export const UNLINK = 8; //      [UNLINK, toId, fromId]
export const MONITOR = 9; //     [MONITOR, toId, monitorId]
export const DEMONITOR = 10; //  [DEMONITOR, toId, monitorId]
export const DOWN = 11; //       [DOWN, monitorId, reason]
export const SPAWN = 12; //      [SPAWN, requestId, behaviourName, arg]
export const SPAWNED = 13; //    [SPAWNED, requestId, ref | null, error | null, knownBehaviours (when the name is unknown)]
export const RESET = 14; //      [RESET]: the sender dropped its channel to the receiver
export const WHEREIS = 15; //    [WHEREIS, requestId, name]: a locally registered name on the receiver
export const WHERE = 16; //      [WHERE, requestId, ref | null]
export const NAME = 17; //       [NAME, index, toId]: casts of this channel epoch name actor toId by index (node/ChannelIds.ts)
export const CAST_AT = 18; //    [CAST_AT, index, msg]: CAST to the actor NAME announced as index
export const INFO_AT = 19; //    [INFO_AT, index, msg]

/**
 * A heartbeat or a leave, on the cluster's heartbeat subject. A heartbeat also says, per
 * peer incarnation, the channel epoch and the last sequence number sent to it: a peer that
 * has not received that batch by the next heartbeat lost it (a tail loss no later batch
 * would reveal) and resets the channel.
 */
export type Beat = [kind: 'hb' | 'leave', incarnation: string, node: string, lagMs: number, sent?: Record<string, [epoch: number, seq: number]>];
