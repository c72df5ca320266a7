/**
 * @arbor/xstate: xstate v5 machines as supervised Arbor actors. `fromMachine(machine)` is a
 * behaviour: its events are typed casts, its snapshot is read by call, an xstate error
 * crashes the actor (its supervisor applies the strategy), and a restart starts from the
 * initial state or from the last persisted snapshot, as the child spec says.
 */
export { MachineFailedError, SnapshotKeyInUseError } from './errors/errors.js';
export { fromMachine, type FromMachineOptions, type MachineBehaviour } from './machine/fromMachine.js';
export { MachineActor } from './machine/MachineActor.js';
export { machineChild, type MachineChildOptions } from './machine/machineChild.js';
export type { MachineProtocol, MachineRef, MachineStart, PersistedSnapshotResult, RestartFrom } from './machine/MachineProtocol.js';
export { getPersistedSnapshot, getSnapshot, sendEvent, sendEventAndWait } from './machine/client.js';
export { memorySnapshotStore, type SnapshotStore } from './snapshot/SnapshotStore.js';
