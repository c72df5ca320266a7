import winston from 'winston';

/** How many stack frames a pretty line shows under a crash (the rest are in the JSON form). */
const FRAMES = 3;

/** Keys a pretty line shows as the subject, in this order, instead of as `key=value`. */
const SUBJECT_KEYS = ['name', 'behaviour', 'actor'] as const;

/** Keys never shown as `key=value`: winston's own, the subject's, and the stack (shown below). */
const HIDDEN = new Set(['level', 'message', 'timestamp', 'report', 'stack', ...SUBJECT_KEYS]);

function clock(timestamp: unknown): string {
  const d = typeof timestamp === 'string' ? new Date(timestamp) : new Date();
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(11, 23);
}

/** `counter (Counter#V1StGX)`, `Counter#V1StGX`, or '' when the entry names no actor. */
function subject(info: Record<string, unknown>): string {
  const name = typeof info['name'] === 'string' ? info['name'] : undefined;
  const behaviour = typeof info['behaviour'] === 'string' ? info['behaviour'] : undefined;
  const id = typeof info['actor'] === 'string' ? info['actor'] : undefined;
  const who = behaviour !== undefined || id !== undefined ? `${behaviour ?? 'actor'}${id !== undefined ? `#${id}` : ''}` : undefined;
  if (name !== undefined) return who !== undefined ? `${safe(name)} (${safe(who)})` : safe(name);
  return who === undefined ? '' : safe(who);
}

/** Control characters (terminal escapes, newlines): a string with one is always quoted. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** `s` as is, or JSON-quoted when it holds a control character (no forged lines, no escapes). */
function safe(s: string): string {
  return CONTROL.test(s) ? JSON.stringify(s) : s;
}

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' || CONTROL.test(v) ? JSON.stringify(v) : v;
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The first `FRAMES` `at …` lines of a stack, indented. */
function frames(stack: unknown): string {
  if (typeof stack !== 'string') return '';
  const at = stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, FRAMES);
  return at.length === 0 ? '' : `\n${at.map((l) => `    ${safe(l.trim())}`).join('\n')}`;
}

/**
 * The human-readable winston format: one short line per entry (time, level, message, the
 * actor as `name (Behaviour#id)`, the report's other keys as `key=value`), then the first
 * stack frames of a crash. It is what {@link createLogger} writes to a terminal.
 *
 * @example
 * // 12:00:01.042 error actor crashed: counter (Counter#V1StGX) reason="Error: boom" lastMessage=cast:boom
 * //     at Counter.handleCast (file:///app/dist/counter.js:12:11)
 * winston.createLogger({ format: prettyFormat(), transports: [new winston.transports.Console()] });
 */
export function prettyFormat(): winston.Logform.Format {
  return winston.format.printf((info) => {
    const entry = info as Record<string, unknown>;
    const who = subject(entry);
    const rest = Object.keys(entry)
      .filter((k) => !HIDDEN.has(k) && entry[k] !== undefined)
      .map((k) => `${k}=${value(entry[k])}`);
    const head = [clock(entry['timestamp']), String(info.level), `${safe(String(info.message))}${who !== '' ? `: ${who}` : ''}`].filter((s) => s !== '').join(' ');
    return `${head}${rest.length > 0 ? ` ${rest.join(' ')}` : ''}${frames(entry['stack'])}`;
  });
}
