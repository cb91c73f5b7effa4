/**
 * Comparing what a caller says with the purchase record, without ever returning the
 * record: names answer `match`, `close` or `mismatch`; the order number and the
 * delivery address only `match` or `mismatch` (the fragment `consistent` or
 * `inconsistent`). Everything is normalised first — Unicode NFKD,
 * accents, case, punctuation, whitespace, name-token order, e-mail case, common
 * address abbreviations and postal-code spacing — so that a caller is not failed for
 * how they say it, only for what they say.
 */
import { canonicalFragment } from '../../shared/claimCode';
import damerauLevenshtein from 'damerau-levenshtein';

export type FieldCheck = 'match' | 'close' | 'mismatch';
/**
 * Order number and delivery address answer only this: a "close" there would tell a
 * guesser they are one edit away from the record, an oracle on the record itself.
 */
export type ExactCheck = 'match' | 'mismatch';
export type FragmentCheck = 'consistent' | 'inconsistent';

/** Letters that NFKD does not split into base letter + accent. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ł: 'l',
  Ł: 'l',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
};

/** NFKD, accents and the letters above folded, lower case, punctuation and symbols as spaces, spaces collapsed. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßẞæÆœŒøØđĐłŁþÞı]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** A name as a sorted set of words, so "Doe, Jane", "jane DOE" and "Jane Doe" are one name. */
export function normalizeName(name: string): string {
  return foldText(name)
    .split(' ')
    .filter((w) => w.length > 0)
    .sort()
    .join(' ');
}

export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

const ADDRESS_WORDS: Record<string, string> = {
  st: 'street',
  str: 'strasse',
  ave: 'avenue',
  av: 'avenue',
  rd: 'road',
  dr: 'drive',
  ln: 'lane',
  ct: 'court',
  blvd: 'boulevard',
  pl: 'place',
  sq: 'square',
  hwy: 'highway',
  apt: 'apartment',
  appt: 'apartment',
  ste: 'suite',
  fl: 'floor',
  no: 'number',
  n: 'north',
  s: 'south',
  e: 'east',
  w: 'west',
};

/**
 * An address with abbreviations spelled out ("St" = "Street", "Apt" and "#" =
 * "Apartment", "Str." = "Straße") and all spacing removed, so "NW1 6XE" = "NW16XE".
 */
export function normalizeAddress(address: string): string {
  return foldText(address.replace(/#/g, ' apartment '))
    .split(' ')
    .filter((w) => w.length > 0)
    // German street names often end in an abbreviated "str." ("Königstr." = "Königstraße").
    // Any all-letter word: a shorter minimum would let the joined result of one pass
    // ("a" + "aastr") expand on the next, and normalising must be idempotent.
    .map((w) => ADDRESS_WORDS[w] ?? w.replace(/^(\p{L}+)str$/u, '$1strasse'))
    .join('');
}

export function normalizeOrderNumber(order: string): string {
  return order
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/**
 * How many single-character edits (insert, delete, replace, or swap two neighbours —
 * Damerau-Levenshtein) still count as "close": none for very short text, one for
 * short text, two for longer text.
 */
export function closeThreshold(length: number): number {
  if (length <= 4) return 0;
  if (length <= 10) return 1;
  return 2;
}

/** Beyond this length (far past what any field allows) only an exact match counts. */
const MAX_FUZZY_LENGTH = 600;

function compareNormalized(given: string, stored: string): FieldCheck {
  if (given.length === 0 || stored.length === 0) return 'mismatch';
  if (given === stored) return 'match';
  const allowed = closeThreshold(Math.max(given.length, stored.length));
  if (allowed === 0 || Math.abs(given.length - stored.length) > allowed) return 'mismatch';
  if (given.length > MAX_FUZZY_LENGTH || stored.length > MAX_FUZZY_LENGTH) return 'mismatch';
  return damerauLevenshtein(given, stored).steps <= allowed ? 'close' : 'mismatch';
}

export function compareName(given: string, stored: string): FieldCheck {
  return compareNormalized(normalizeName(given), normalizeName(stored));
}

function compareExact(given: string, stored: string): ExactCheck {
  return given.length > 0 && given === stored ? 'match' : 'mismatch';
}

export function compareEmail(given: string, stored: string): ExactCheck {
  return compareExact(normalizeEmail(given), normalizeEmail(stored));
}

export function compareAddress(given: string, stored: string): ExactCheck {
  return compareExact(normalizeAddress(given), normalizeAddress(stored));
}

export function compareOrderNumber(given: string, stored: string): ExactCheck {
  return compareExact(normalizeOrderNumber(given), normalizeOrderNumber(stored));
}

// The fragment's shape (fragmentProblem) is a shared rule: shared/claimCode.ts.
export { canonicalFragment, fragmentProblem } from '../../shared/claimCode';

/** Position by position: every legible character must be the code's character there. */
export function compareFragment(raw: string, code: string): FragmentCheck {
  const fragment = canonicalFragment(raw);
  if (fragment.length !== code.length) return 'inconsistent';
  for (let i = 0; i < fragment.length; i++) {
    if (fragment[i] !== '?' && fragment[i] !== code[i]) return 'inconsistent';
  }
  return 'consistent';
}
