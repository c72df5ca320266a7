/**
 * The documents table: an `@arbor/ets` set owned by the table owner `docservice.tables`
 * (a supervised actor with no other work), declared `keep` so that its keeper holds it
 * while the owner restarts. Route handlers, pool jobs and sessions come and go; the
 * documents stay: this table is the service's crash barrier.
 */
import { TableOwner, TableSpec } from '@arbor/ets';

/** A stored document. */
export interface StoredDocument {
  readonly id: string;
  readonly text: string;
  /** The session that posted it. */
  readonly session: string;
  readonly createdAt: number;
}

/**
 * The service's tables, with their types; `DocTables.ensureTable('documents', system)`
 * is the handle any code in the application reads and writes.
 *
 * @example
 * DocTables.ensureTable('documents', system).lookup('doc-1f2e3d4c'); // StoredDocument | undefined
 */
export const DocTables = TableOwner.define('docservice.tables', {
  documents: TableSpec.set<string, StoredDocument>({ keep: true }),
});
