/**
 * Whether a published `subject` matches a subscription `pattern` the way NATS matches them:
 * tokens are split on `.`, `*` matches exactly one token, `>` (last token only) matches one or
 * more remaining tokens. Invalid patterns or subjects (see {@link isValidSubject}) match nothing.
 *
 * @example
 * subjectMatches('arbor.c.hb.*', 'arbor.c.hb.n1-1') // true
 * subjectMatches('arbor.c.>', 'arbor.c')            // false: '>' needs at least one token
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  if (!isValidSubject(pattern, true) || !isValidSubject(subject, false)) return false;
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const tok = p[i]!;
    if (tok === '>') return s.length > i;
    if (i >= s.length) return false;
    if (tok !== '*' && tok !== s[i]) return false;
  }
  return p.length === s.length;
}

/**
 * Whether `subject` is a valid NATS subject: non-empty tokens separated by `.`, no whitespace;
 * with `wildcards` (a subscription pattern) a token may be `*`, and the last token may be `>`;
 * without, `*` and `>` tokens are refused (a publish subject).
 *
 * @example
 * isValidSubject('arbor.c.n.*', true)  // true
 * isValidSubject('arbor..n', false)    // false: an empty token
 */
export function isValidSubject(subject: string, wildcards: boolean): boolean {
  if (typeof subject !== 'string' || subject.length === 0 || /\s/.test(subject)) return false;
  const tokens = subject.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.length === 0) return false;
    if (tok === '*' || tok === '>') {
      if (!wildcards) return false;
      if (tok === '>' && i !== tokens.length - 1) return false;
    }
  }
  return true;
}
