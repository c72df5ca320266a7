/**
 * A word index of documents: the docservice's supervised remote child in the demo's
 * cluster part. Both nodes offer it by name (code is never shipped), so a supervisor on one
 * node can run it on the other, and again on itself when that node is lost.
 */
import { GenServer, type Call } from '@arbor/core';

/** What the index accepts. `where` answers the node (system) it runs on. */
export interface WordIndexProtocol {
  call: Call<'lookup', readonly string[], { word: string }> | Call<'where', string> | Call<'size', number>;
  cast: { type: 'index'; doc: string; text: string };
  info: never;
}

/**
 * Words (lower case, 3 letters or more) to the documents that hold them; in memory, so a
 * restart starts empty and the owner indexes again.
 *
 * @example
 * cast(index, { type: 'index', doc: 'doc-1', text: 'supervision trees restart children' });
 * await call(index, { type: 'lookup', word: 'restart' }); // ['doc-1']
 */
export class WordIndex extends GenServer<WordIndexProtocol, Map<string, Set<string>>, undefined> {
  override init(): void {
    this.state = new Map();
  }

  override handleCast(msg: WordIndexProtocol['cast']): void {
    for (const word of msg.text.toLowerCase().match(/[a-z]{3,}/g) ?? []) {
      let docs = this.state.get(word);
      if (docs === undefined) this.state.set(word, (docs = new Set()));
      docs.add(msg.doc);
    }
  }

  override handleCall(req: WordIndexProtocol['call']): readonly string[] | string | number {
    switch (req.type) {
      case 'lookup':
        return [...(this.state.get(req.word.toLowerCase()) ?? [])].sort();
      case 'where':
        return this.system.name;
      case 'size':
        return this.state.size;
    }
  }
}
