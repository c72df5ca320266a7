/**
 * A B+ tree: keys in sorted leaves linked both ways, inner nodes of separators. Insert,
 * delete and seek are O(log n) (nodes split above LEAF_MAX / INNER_MAX entries, borrow or
 * merge below a quarter of that), and a range walks the leaves. The comparator is fixed at construction. @internal
 */
const LEAF_MAX = 128;
const LEAF_MIN = LEAF_MAX >> 2;
const INNER_MAX = 128;
const INNER_MIN = INNER_MAX >> 2;

/** A leaf: sorted keys, their values, and its neighbours. @internal */
export class Leaf<K, V> {
  next: Leaf<K, V> | null = null;
  prev: Leaf<K, V> | null = null;
  constructor(
    public keys: K[],
    public vals: V[],
  ) {}
}

/** An inner node: `kids[i]` holds keys k with `keys[i-1] <= k < keys[i]`. @internal */
class Inner<K, V> {
  constructor(
    public keys: K[],
    public kids: Node<K, V>[],
  ) {}
}

type Node<K, V> = Leaf<K, V> | Inner<K, V>;

/** A position in the tree: a leaf and an index in it (`leaf === null`: past the end). @internal */
export interface Cursor<K, V> {
  leaf: Leaf<K, V> | null;
  index: number;
}

/** @internal */
export class BPlusTree<K, V> {
  #root: Node<K, V> = new Leaf<K, V>([], []);
  #cmp: (a: K, b: K) => number;
  #split: { sep: K; right: Node<K, V> } | null = null;
  /** Number of keys. */
  size = 0;
  /** Bumped on every insert of a new key and every delete: cursors taken before are stale. */
  mods = 0;

  constructor(cmp: (a: K, b: K) => number) {
    this.#cmp = cmp;
  }

  /** The comparator. */
  get compare(): (a: K, b: K) => number {
    return this.#cmp;
  }

  /** Index of the child of `node` whose range holds `key`. */
  #child(keys: K[], key: K): number {
    const cmp = this.#cmp;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (cmp(keys[m]!, key) <= 0) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  /** First index in a leaf with a key >= `key`. */
  #lower(keys: K[], key: K): number {
    const cmp = this.#cmp;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (cmp(keys[m]!, key) < 0) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  #leafFor(key: K): Leaf<K, V> {
    let n = this.#root;
    while (n instanceof Inner) n = n.kids[this.#child(n.keys, key)]!;
    return n;
  }

  /** The value under `key`, or undefined. */
  get(key: K): V | undefined {
    const leaf = this.#leafFor(key);
    const i = this.#lower(leaf.keys, key);
    return i < leaf.keys.length && this.#cmp(leaf.keys[i]!, key) === 0 ? leaf.vals[i] : undefined;
  }

  /** True if `key` is present. */
  has(key: K): boolean {
    const leaf = this.#leafFor(key);
    const i = this.#lower(leaf.keys, key);
    return i < leaf.keys.length && this.#cmp(leaf.keys[i]!, key) === 0;
  }

  /** Sets `key` to `val` (replacing, unless `onlyNew`); true if the key was new. */
  set(key: K, val: V, onlyNew = false): boolean {
    const before = this.size;
    this.#insert(this.#root, key, val, onlyNew);
    const s = this.#split;
    if (s !== null) {
      this.#split = null;
      this.#root = new Inner<K, V>([s.sep], [this.#root, s.right]);
    }
    return this.size !== before;
  }

  #insert(node: Node<K, V>, key: K, val: V, onlyNew: boolean): void {
    if (node instanceof Leaf) {
      const keys = node.keys;
      const i = this.#lower(keys, key);
      if (i < keys.length && this.#cmp(keys[i]!, key) === 0) {
        if (!onlyNew) node.vals[i] = val;
        return;
      }
      this.size++;
      this.mods++;
      if (i === keys.length) {
        keys.push(key);
        node.vals.push(val);
      } else {
        keys.splice(i, 0, key);
        node.vals.splice(i, 0, val);
      }
      if (keys.length > LEAF_MAX) {
        const half = keys.length >> 1;
        const right = new Leaf<K, V>(keys.splice(half), node.vals.splice(half));
        right.next = node.next;
        right.prev = node;
        if (node.next !== null) node.next.prev = right;
        node.next = right;
        this.#split = { sep: right.keys[0]!, right };
      }
      return;
    }
    const ci = this.#child(node.keys, key);
    this.#insert(node.kids[ci]!, key, val, onlyNew);
    const s = this.#split;
    if (s === null) return;
    node.keys.splice(ci, 0, s.sep);
    node.kids.splice(ci + 1, 0, s.right);
    this.#split = null;
    if (node.kids.length > INNER_MAX) {
      const mid = node.keys.length >> 1;
      const sep = node.keys[mid]!;
      const right = new Inner<K, V>(node.keys.splice(mid + 1), node.kids.splice(mid + 1));
      node.keys.pop();
      this.#split = { sep, right };
    }
  }

  /** Removes `key`; true if it was present. */
  delete(key: K): boolean {
    const found = this.#remove(this.#root, key);
    const root = this.#root;
    if (root instanceof Inner && root.kids.length === 1) this.#root = root.kids[0]!;
    return found;
  }

  #remove(node: Node<K, V>, key: K): boolean {
    if (node instanceof Leaf) {
      const i = this.#lower(node.keys, key);
      if (i >= node.keys.length || this.#cmp(node.keys[i]!, key) !== 0) return false;
      node.keys.splice(i, 1);
      node.vals.splice(i, 1);
      this.size--;
      this.mods++;
      return true;
    }
    const ci = this.#child(node.keys, key);
    const kid = node.kids[ci]!;
    if (!this.#remove(kid, key)) return false;
    if (kid instanceof Leaf ? kid.keys.length < LEAF_MIN : kid.kids.length < INNER_MIN) this.#fix(node, ci);
    return true;
  }

  /** Refills the underfull child `ci` of `parent` from a sibling, or merges it with one. */
  #fix(parent: Inner<K, V>, ci: number): void {
    const kid = parent.kids[ci]!;
    const left = ci > 0 ? parent.kids[ci - 1]! : null;
    const right = ci < parent.kids.length - 1 ? parent.kids[ci + 1]! : null;
    if (kid instanceof Leaf) {
      const l = left as Leaf<K, V> | null;
      const r = right as Leaf<K, V> | null;
      if (l !== null && l.keys.length > LEAF_MIN) {
        kid.keys.unshift(l.keys.pop()!);
        kid.vals.unshift(l.vals.pop()!);
        parent.keys[ci - 1] = kid.keys[0]!;
      } else if (r !== null && r.keys.length > LEAF_MIN) {
        kid.keys.push(r.keys.shift()!);
        kid.vals.push(r.vals.shift()!);
        parent.keys[ci] = r.keys[0]!;
      } else if (l !== null) {
        for (let i = 0; i < kid.keys.length; i++) {
          l.keys.push(kid.keys[i]!);
          l.vals.push(kid.vals[i]!);
        }
        l.next = kid.next;
        if (kid.next !== null) kid.next.prev = l;
        parent.keys.splice(ci - 1, 1);
        parent.kids.splice(ci, 1);
      } else if (r !== null) {
        for (let i = 0; i < r.keys.length; i++) {
          kid.keys.push(r.keys[i]!);
          kid.vals.push(r.vals[i]!);
        }
        kid.next = r.next;
        if (r.next !== null) r.next.prev = kid;
        parent.keys.splice(ci, 1);
        parent.kids.splice(ci + 1, 1);
      }
      return;
    }
    const l = left as Inner<K, V> | null;
    const r = right as Inner<K, V> | null;
    if (l !== null && l.kids.length > INNER_MIN) {
      kid.keys.unshift(parent.keys[ci - 1]!);
      kid.kids.unshift(l.kids.pop()!);
      parent.keys[ci - 1] = l.keys.pop()!;
    } else if (r !== null && r.kids.length > INNER_MIN) {
      kid.keys.push(parent.keys[ci]!);
      kid.kids.push(r.kids.shift()!);
      parent.keys[ci] = r.keys.shift()!;
    } else if (l !== null) {
      l.keys.push(parent.keys[ci - 1]!, ...kid.keys);
      l.kids.push(...kid.kids);
      parent.keys.splice(ci - 1, 1);
      parent.kids.splice(ci, 1);
    } else if (r !== null) {
      kid.keys.push(parent.keys[ci]!, ...r.keys);
      kid.kids.push(...r.kids);
      parent.keys.splice(ci, 1);
      parent.kids.splice(ci + 1, 1);
    }
  }

  /** Removes every key. */
  clear(): void {
    this.#root = new Leaf<K, V>([], []);
    this.size = 0;
    this.mods++;
  }

  // ------------------------------------------------------------------ cursors

  /** Normalises a cursor that may sit past its leaf's end. */
  #settle(leaf: Leaf<K, V>, index: number): Cursor<K, V> {
    let l: Leaf<K, V> | null = leaf;
    let i = index;
    while (l !== null && i >= l.keys.length) {
      l = l.next;
      i = 0;
    }
    return { leaf: l, index: i };
  }

  /** The first key, as a cursor. */
  first(): Cursor<K, V> {
    let n = this.#root;
    while (n instanceof Inner) n = n.kids[0]!;
    return this.#settle(n, 0);
  }

  /** The last key, as a cursor (`leaf === null` when empty). */
  last(): Cursor<K, V> {
    let n = this.#root;
    while (n instanceof Inner) n = n.kids[n.kids.length - 1]!;
    return n.keys.length === 0 ? { leaf: null, index: 0 } : { leaf: n, index: n.keys.length - 1 };
  }

  /** The first key >= `key` (or > `key` when `strict`). */
  seek(key: K, strict: boolean): Cursor<K, V> {
    const leaf = this.#leafFor(key);
    let i = this.#lower(leaf.keys, key);
    if (strict && i < leaf.keys.length && this.#cmp(leaf.keys[i]!, key) === 0) i++;
    return this.#settle(leaf, i);
  }

  /** The last key <= `key` (or < `key` when `strict`). */
  seekBack(key: K, strict: boolean): Cursor<K, V> {
    const leaf = this.#leafFor(key);
    let i = this.#lower(leaf.keys, key);
    if (!strict && i < leaf.keys.length && this.#cmp(leaf.keys[i]!, key) === 0) return { leaf, index: i };
    let l: Leaf<K, V> | null = leaf;
    i--;
    while (l !== null && i < 0) {
      l = l.prev;
      i = l === null ? 0 : l.keys.length - 1;
    }
    return { leaf: l, index: i };
  }

  /** Moves a cursor one key forward, in place. */
  step(c: Cursor<K, V>): void {
    if (c.leaf === null) return;
    const s = this.#settle(c.leaf, c.index + 1);
    c.leaf = s.leaf;
    c.index = s.index;
  }
}
