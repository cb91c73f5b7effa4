import { describe, expect, test } from 'vitest';
import { formatSerial, parseSerial, serialTypoCandidates, stripSerialSeparators } from '../../shared/serial';

const SERIAL = '1700123456789012345';

describe('parseSerial', () => {
  test('accepts the bare 19 digits', () => {
    expect(parseSerial(SERIAL)).toEqual({ ok: true, serial: SERIAL });
  });

  test('tolerates spaces, dashes and grouping as printed', () => {
    expect(parseSerial('1700 1234 5678 9012 345')).toEqual({ ok: true, serial: SERIAL });
    expect(parseSerial('1700-1234-5678-9012-345')).toEqual({ ok: true, serial: SERIAL });
    expect(parseSerial(' 1700\u00a01234–5678 9012-345 ')).toEqual({ ok: true, serial: SERIAL });
  });

  test.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['1700 1234 5678 9012 34', 'length'],
    ['17001234567890123456', 'length'],
    ['1800123456789012345', 'prefix'],
    ['1700 1234 5678 9O12 345', 'characters'],
    ['1700.1234.5678.9012.345', 'characters'],
  ])('rejects %j as %s', (input, problem) => {
    const parsed = parseSerial(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem).toBe(problem);
      expect(parsed.message.length).toBeGreaterThan(10);
    }
  });

  test('says how many digits were typed', () => {
    const parsed = parseSerial('1700 1234');
    expect(parsed.ok === false && parsed.message).toBe('A serial number has 19 digits; this one has 8.');
  });
});

describe('formatSerial', () => {
  test('groups 4-4-4-4-3', () => {
    expect(formatSerial(SERIAL)).toBe('1700 1234 5678 9012 345');
  });

  test('groups partial input while typing', () => {
    expect(formatSerial('1700')).toBe('1700');
    expect(formatSerial('17001')).toBe('1700 1');
    expect(formatSerial('1700-1234-56')).toBe('1700 1234 56');
    expect(formatSerial('')).toBe('');
  });

  test('keeps extra digits visible instead of dropping them', () => {
    expect(formatSerial(SERIAL + '99')).toBe('1700 1234 5678 9012 34599');
  });

  test('stripSerialSeparators removes only separators', () => {
    expect(stripSerialSeparators('17-00 12a')).toBe('170012a');
  });
});

describe('serialTypoCandidates', () => {
  const candidates = serialTypoCandidates(SERIAL);

  test('every candidate is a well-formed serial one edit away, never the serial itself', () => {
    for (const c of candidates) {
      expect(parseSerial(c).ok).toBe(true);
      expect(c).not.toBe(SERIAL);
      const diff = [...c].filter((d, i) => d !== SERIAL[i]).length;
      expect(diff === 1 || diff === 2).toBe(true);
    }
    expect(new Set(candidates).size).toBe(candidates.length);
  });

  test('covers every single-digit change after the prefix', () => {
    // 17 positions × 9 other digits
    const substitutions = candidates.filter((c) => [...c].filter((d, i) => d !== SERIAL[i]).length === 1);
    expect(substitutions).toHaveLength(17 * 9);
    expect(candidates).toContain('1700123456789012346');
    expect(candidates).toContain('1750123456789012345');
  });

  test('covers neighbouring swaps, skipping equal neighbours and swaps that break the prefix', () => {
    expect(candidates).toContain('1700123456789012354'); // last two swapped
    expect(candidates).toContain('1700213456789012345'); // 1 and 2 swapped
    expect(candidates).not.toContain('7100123456789012345'); // prefix broken
    // '0','0' at positions 2-3 are equal: no swap candidate there
    const swaps = candidates.filter((c) => [...c].filter((d, i) => d !== SERIAL[i]).length === 2);
    expect(swaps.every((c) => c.startsWith('17'))).toBe(true);
  });

  test('stays small enough for one IN (...) query', () => {
    expect(candidates.length).toBeLessThanOrEqual(17 * 9 + 18);
  });
});
