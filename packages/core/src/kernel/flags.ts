/** Cell state bits. @internal */
export const SCHEDULED = 1;
export const BUSY = 2;
export const SUSPENDED = 4;
export const TRAP_EXIT = 8;
export const DEAD = 16;
export const STOPPING = 32;
export const STOP_REQUESTED = 64;
export const CONTINUE = 128;
export const INIT = 256;
