/**
 * Text the database and every reader can hold: no NUL or other C0 control characters (tab, line
 * feed and carriage return excepted) and no unpaired UTF-16 surrogates. Postgres refuses NUL in
 * text, so such a value must be refused before any decision is taken on it.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isCleanText(s: string): boolean {
  return !CONTROL.test(s) && !LONE_SURROGATE.test(s);
}

/** The dotted path of the first string (or key) in `value` that is not clean text, or null. */
export function firstUncleanText(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return isCleanText(value) ? null : path || '_root';
  // Deeper than any payload the process knows: refuse rather than walk it.
  if (depth > 32) return path || '_root';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstUncleanText(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (!isCleanText(k)) return at;
      const found = firstUncleanText(v, at, depth + 1);
      if (found) return found;
    }
  }
  return null;
}
