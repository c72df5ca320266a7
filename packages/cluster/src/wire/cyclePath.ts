import { keyStep } from './unfit.js';

/**
 * Where a value refers back to one of its own containers, as `[path, pathOfTheContainer]`
 * (`['msg.a.self', 'msg']`), or undefined when it has no cycle. Only run after `toWire` gave up
 * on depth, so its cost is off the common path. Internal.
 *
 * @example
 * const a: any = {}; a.self = a;
 * cyclePath(a, 'msg') // ['msg.self', 'msg']
 */
export function cyclePath(root: unknown, rootName: string): [string, string] | undefined {
  const open = new Map<object, string>();
  const visit = (value: unknown, path: string): [string, string] | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    const back = open.get(value);
    if (back !== undefined) return [path, back];
    open.set(value, path);
    try {
      if (value instanceof Map) {
        let i = 0;
        for (const [k, v] of value) {
          const found = visit(k, `${path}.keys()[${i}]`) ?? visit(v, `${path}.values()[${i}]`);
          if (found) return found;
          i++;
        }
      } else if (value instanceof Set) {
        let i = 0;
        for (const v of value) {
          const found = visit(v, `${path}.values()[${i++}]`);
          if (found) return found;
        }
      } else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const found = visit(value[i], `${path}[${i}]`);
          if (found) return found;
        }
      } else if (value instanceof Error) {
        return undefined; // error chains are cut at cycles, not refused
      } else {
        for (const key of Object.keys(value)) {
          const found = visit((value as Record<string, unknown>)[key], path + keyStep(key));
          if (found) return found;
        }
      }
      return undefined;
    } finally {
      open.delete(value);
    }
  };
  return visit(root, rootName);
}
