/**
 * The lmdb-js options every opener of a registry file must use (the registry, its probe
 * process, and any tool reading the file). Values are msgpackr records whose structures
 * (the field names of an entry and of its owner) are stored once in the file under
 * `Symbol.for('structures')` rather than in every record: an entry is about 80 bytes
 * instead of about 210, and encodes in half the time. Files written before this encoding
 * (each record carrying its own structure) are still read; a reader opening a file
 * without `sharedStructuresKey` cannot decode the new records.
 *
 * @example
 * const reader = open({ path, ...registryFileOptions, readOnly: true });
 */
export const registryFileOptions = {
  compression: false,
  sharedStructuresKey: Symbol.for('structures'),
} as const;

/**
 * How the registry (and its probe, which must do the same) opens its file: the file
 * options, plus `noSync` (see RegistryStore), `maxReaders` (many applications and their
 * restarts may share one file) and `eventTurnBatching: false` (lmdb-js would otherwise
 * add to each batch an instruction whose promise no caller can reach: a failed commit
 * would reject it unhandled). @internal
 */
export const registryStoreOptions = {
  ...registryFileOptions,
  noSync: true,
  maxReaders: 1024,
  eventTurnBatching: false,
} as const;
