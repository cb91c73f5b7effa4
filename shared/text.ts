/** Case- and accent-insensitive form for search: NFKD, combining marks removed, lower case. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

/** A lone UTF-16 surrogate: with the `u` flag a paired surrogate is one code point and does not match. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Why a string cannot be accepted as text, or null. Ill-formed UTF-16 (a lone
 * surrogate) is stored by SQLite and PostgreSQL as U+FFFD, so what was hashed would
 * differ from what is kept; PostgreSQL refuses NUL in text outright.
 */
export function textProblem(value: string): 'surrogate' | 'nul' | null {
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  if (value.includes('\u0000')) return 'nul';
  return null;
}

export const TEXT_PROBLEM_MESSAGES = {
  surrogate: 'contains a broken character (an unpaired UTF-16 surrogate); retype it',
  nul: 'contains a NUL character, which is not allowed in text',
} as const;

export interface TextIssue {
  path: (string | number)[];
  problem: 'surrogate' | 'nul' | 'depth';
  /** The problem is in the name of a field of the object at `path` (the name itself is not repeated). */
  inKey?: true;
}

/** Inputs are a few levels deep; anything deeper is refused rather than walked. */
export const MAX_INPUT_DEPTH = 16;

/**
 * The edge's walk over a raw input (what structured clone delivered): every string
 * value and every object key is checked, every string value is normalised to NFC.
 * Returns a copy (plain objects and arrays rebuilt, keys defined as own data
 * properties so `__proto__` stays a key), or the issues found.
 */
export function normaliseInputText(input: unknown): { ok: true; value: unknown } | { ok: false; issues: TextIssue[] } {
  const issues: TextIssue[] = [];
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) {
        issues.push({ path, problem });
        return value;
      }
      return value.normalize('NFC');
    }
    if (value === null || typeof value !== 'object') return value;
    if (path.length >= MAX_INPUT_DEPTH) {
      issues.push({ path, problem: 'depth' });
      return value;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const problem = textProblem(key);
      if (problem) issues.push({ path, problem, inKey: true });
      Object.defineProperty(copy, key, {
        value: walk((value as Record<string, unknown>)[key], [...path, key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  };
  const value = walk(input, []);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}
