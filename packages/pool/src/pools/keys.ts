/**
 * The registry keys of a pool's parts. A pool name has no `/` (checked), so these never
 * clash with another pool's name. @internal
 */
export const managerKey = (pool: string): string => `${pool}/manager`;
/** @internal */
export const workersKey = (pool: string): string => `${pool}/workers`;
