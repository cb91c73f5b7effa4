/**
 * Gift-card serial numbers: 19 digits starting with `17`. Agents may type spaces and
 * dashes; the canonical form is the bare digits; the display form groups them
 * `1700 1234 5678 9012 345`.
 */
export const SERIAL_LENGTH = 19;
export const SERIAL_PREFIX = '17';

export type SerialProblem = 'empty' | 'characters' | 'length' | 'prefix';

export type SerialParse =
  | { ok: true; serial: string }
  | { ok: false; problem: SerialProblem; message: string };

/** Spaces (any Unicode space) and dashes (any dash) are separators, nothing else. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/gu;

export function stripSerialSeparators(raw: string): string {
  return raw.replace(SEPARATORS, '');
}

export function parseSerial(raw: string): SerialParse {
  const bare = stripSerialSeparators(raw);
  if (bare.length === 0) {
    return { ok: false, problem: 'empty', message: 'Enter the 19-digit serial number from the card.' };
  }
  if (!/^[0-9]+$/.test(bare)) {
    return {
      ok: false,
      problem: 'characters',
      message: 'A serial number has digits only (spaces and dashes are fine).',
    };
  }
  if (bare.length !== SERIAL_LENGTH) {
    return {
      ok: false,
      problem: 'length',
      message: `A serial number has ${SERIAL_LENGTH} digits; this one has ${bare.length}.`,
    };
  }
  if (!bare.startsWith(SERIAL_PREFIX)) {
    return { ok: false, problem: 'prefix', message: `A serial number starts with ${SERIAL_PREFIX}.` };
  }
  return { ok: true, serial: bare };
}

export function isSerial(value: string): boolean {
  return value.length === SERIAL_LENGTH && value.startsWith(SERIAL_PREFIX) && /^[0-9]+$/.test(value);
}

/**
 * Groups digits 4-4-4-4-3 for display. Works on partial input too, so the field can
 * show the grouped form while the agent types; characters that are not digits are
 * kept (after the digits) so a mistake stays visible instead of vanishing.
 */
export function formatSerial(raw: string): string {
  const bare = stripSerialSeparators(raw);
  const groups: string[] = [];
  for (let i = 0; i < bare.length; i += 4) {
    if (i >= 16) {
      groups.push(bare.slice(i));
      break;
    }
    groups.push(bare.slice(i, i + 4));
  }
  return groups.join(' ');
}

/**
 * Every well-formed serial one typo away from `serial`: one digit changed, or two
 * neighbouring digits swapped. The prefix stays `17`, since a serial that does not
 * start with it is rejected before any lookup. At most 17 × 9 + 18 candidates, so the
 * store answers "did you mean…" with one indexed `IN (…)` query.
 */
export function serialTypoCandidates(serial: string): string[] {
  const out = new Set<string>();
  const digits = serial.split('');
  for (let i = SERIAL_PREFIX.length; i < digits.length; i++) {
    const original = digits[i];
    for (let d = 0; d <= 9; d++) {
      const c = String(d);
      if (c === original) continue;
      digits[i] = c;
      out.add(digits.join(''));
    }
    digits[i] = original!;
  }
  for (let i = 0; i + 1 < digits.length; i++) {
    if (digits[i] === digits[i + 1]) continue;
    const swapped = [...digits];
    [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
    const candidate = swapped.join('');
    if (isSerial(candidate)) out.add(candidate);
  }
  out.delete(serial);
  return [...out].sort();
}
