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
  problem: 'surrogate' | 'nul' | 'depth' | 'size';
  /** The problem is in the name of a field of the object at `path` (the name itself is not repeated). */
  inKey?: true;
}

/** Inputs are a few levels deep; anything deeper is refused rather than walked. */
export const MAX_INPUT_DEPTH = 16;

/**
 * Inputs hold a few dozen values; one with more is refused rather than walked. An array
 * is measured by its length before it is walked: a structured clone keeps a sparse
 * array's length, so `[]` with length 2^32 − 1 costs nothing to send and minutes to map.
 */
export const MAX_INPUT_VALUES = 10_000;

/**
 * The edge's walk over a raw input (what structured clone delivered): every string
 * value and every object key is checked, every string value is normalised to NFC.
 * Returns a copy (plain objects and arrays rebuilt, keys defined as own data
 * properties so `__proto__` stays a key), or the issues found.
 */
export function normaliseInputText(input: unknown): { ok: true; value: unknown } | { ok: false; issues: TextIssue[] } {
  const issues: TextIssue[] = [];
  let budget = MAX_INPUT_VALUES;
  let tooLarge = false;
  /** Whether `count` more values fit (false, and one issue for the whole input, once they do not); `spend` takes them. */
  const fits = (count: number, path: (string | number)[], spend: boolean): boolean => {
    if (tooLarge) return false;
    if (count <= budget) {
      if (spend) budget -= count;
      return true;
    }
    tooLarge = true;
    issues.push({ path, problem: 'size' });
    return false;
  };
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (!fits(1, path, true)) return value;
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
    if (Array.isArray(value)) {
      // Measured before the walk: each item then takes its own place in the budget.
      if (!fits(value.length, path, false)) return value;
      return value.map((item, i) => walk(item, [...path, i]));
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    const copy: Record<string, unknown> = {};
    const keys = Object.keys(value);
    if (!fits(keys.length, path, false)) return value;
    for (const key of keys) {
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
