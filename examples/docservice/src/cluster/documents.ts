/** What the demo's cluster part indexes and looks up (shared by the node process and the demo). */

/** The documents the supervisor node indexes (again after each restart: the index is in memory). */
export const DOCUMENTS: readonly { readonly doc: string; readonly text: string }[] = [
  { doc: 'doc-1', text: 'Links and monitors work across nodes with the same functions as locally.' },
  { doc: 'doc-2', text: 'A supervisor restarts its child when the child exits, here on another node.' },
  { doc: 'doc-3', text: 'When a node is lost every link to it gets noconnection, and the supervisor acts.' },
];

/** The word the demo looks up. */
export const LOOKUP = 'supervisor';
