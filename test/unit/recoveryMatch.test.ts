import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  canonicalFragment,
  closeThreshold,
  compareAddress,
  compareEmail,
  compareFragment,
  compareName,
  compareOrderNumber,
  foldText,
  fragmentProblem,
  normalizeAddress,
  normalizeEmail,
  normalizeName,
  normalizeOrderNumber,
} from '../../electron/services/recoveryMatch';

describe('folding', () => {
  test('accents, special letters, case, punctuation, whitespace and full-width forms', () => {
    expect(foldText('  Zoë   Ångström-Éclair! ')).toBe('zoe angstrom eclair');
    expect(foldText('Weiß Straße')).toBe('weiss strasse');
    expect(foldText('Łódź Øre Æsir Œuvre')).toBe('lodz ore aesir oeuvre');
    expect(foldText('Ｊａｎｅ　Ｄｏｅ')).toBe('jane doe');
    expect(foldText('O’Brien')).toBe('o brien');
    expect(foldText('')).toBe('');
  });

  test('non-Latin scripts are kept, only spacing and width change', () => {
    expect(foldText('山田　花子')).toBe('山田 花子');
    expect(foldText('Ивана Петрова')).toBe('ивана петрова');
  });
});

describe('names', () => {
  test.each([
    ['Jane Doe', 'Jane Doe', 'match'],
    ['Doe, Jane', 'Jane Doe', 'match'],
    ['  JANE   doe ', 'Jane Doe', 'match'],
    ['Jurgen Muller', 'Jürgen Müller', 'match'],
    ['Mueller Juergen', 'Jürgen Müller', 'close'],
    ['Jane Do', 'Jane Doe', 'close'],
    ['Jnae Doe', 'Jane Doe', 'close'],
    ['Janet Dough', 'Jane Doe', 'mismatch'],
    ['Jane Smith', 'Jane Doe', 'mismatch'],
    ['花子 山田', '山田 花子', 'match'],
    ['山田　花子', '山田 花子', 'match'],
    ['山田 太郎', '山田 花子', 'mismatch'],
    ['Al Bu', 'Al Bo', 'close'],
    ['Al', 'Bo', 'mismatch'],
    ['', 'Jane Doe', 'mismatch'],
    ['!!!', 'Jane Doe', 'mismatch'],
  ] as const)('%j against %j: %s', (given, stored, expected) => {
    expect(compareName(given, stored)).toBe(expected);
  });

  test('the close threshold grows with length', () => {
    expect([1, 4, 5, 10, 11, 40].map(closeThreshold)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  test('very long input is compared quickly and does not match', () => {
    const long = 'x'.repeat(20_000);
    const started = performance.now();
    expect(compareName(long, 'Jane Doe')).toBe('mismatch');
    expect(compareName(long, long + 'y')).toBe('mismatch'); // beyond any field's length only exact matches count
    expect(compareName(long, long)).toBe('match');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('e-mail, address, order number', () => {
  test('e-mail ignores case and surrounding space; a typo is a mismatch, never close', () => {
    expect(compareEmail(' Jane.Doe@Mail.Example.COM ', 'jane.doe@mail.example.com')).toBe('match');
    expect(compareEmail('jane.doe@mail.exampel.com', 'jane.doe@mail.example.com')).toBe('mismatch');
    expect(compareEmail('john@mail.example.com', 'jane.doe@mail.example.com')).toBe('mismatch');
    expect(normalizeEmail('ＪＡＮＥ@EXAMPLE.COM')).toBe('jane@example.com');
  });

  test('address abbreviations, punctuation and postal-code spacing do not matter', () => {
    const stored = '1420 Maple Street, Apt 5, Springfield, IL 62704';
    expect(compareAddress('1420 maple st. apt. 5 springfield il 62704', stored)).toBe('match');
    expect(compareAddress('1420 Maple St #5, Springfield IL 62704', stored)).toBe('match');
    expect(compareAddress('1420 Maple Street, Apartment 5, Springfield, IL 62704', stored)).toBe('match');
    expect(compareAddress('1421 Maple Street, Apt 5, Springfield, IL 62704', stored)).toBe('mismatch'); // one digit off: never close
    expect(compareAddress('88 Ocean Avenue, Santa Cruz, CA 95060', stored)).toBe('mismatch');
    expect(compareAddress('221B Baker St, London NW16XE', '221B Baker Street, London NW1 6XE')).toBe('match');
    expect(compareAddress('Konigstr. 12, 70173 Stuttgart', 'Königstraße 12, 70173 Stuttgart')).toBe('match');
    expect(compareAddress('250 Rue Sainte Catherine, Montreal, QC H2X1L4', '250 Rue Sainte-Catherine, Montréal, QC H2X 1L4')).toBe('match');
  });

  test('order numbers ignore dashes, spaces and case', () => {
    expect(compareOrderNumber('114 4829301 5562019', '114-4829301-5562019')).toBe('match');
    expect(compareOrderNumber('114-4829301-5562018', '114-4829301-5562019')).toBe('mismatch'); // one digit off: never close
    expect(compareOrderNumber('999-0000000-0000000', '114-4829301-5562019')).toBe('mismatch');
    expect(normalizeOrderNumber('ab-12')).toBe('AB12');
  });
});

describe('claim-code fragment', () => {
  const code = 'ABCDEFGHJKLMNP';
  test('compared position by position, ? for unreadable', () => {
    expect(compareFragment('abcd-????jk-lmnp?', code)).toBe('inconsistent'); // 15 long: wrong length
    expect(compareFragment('abcd-????jk-lmnp', code)).toBe('consistent');
    expect(compareFragment('ABCD??????????', code)).toBe('consistent');
    expect(compareFragment('ABCX??????????', code)).toBe('inconsistent');
    expect(compareFragment('??????????????', code)).toBe('consistent');
  });

  test('shape problems are explained', () => {
    expect(canonicalFragment(' ab-?? ')).toBe('AB??');
    expect(fragmentProblem('ABCD??')).toMatch(/covers 6/);
    expect(fragmentProblem('ABCD-!!!!!!-ABCD')).toMatch(/legible characters/);
    expect(fragmentProblem('ABCD-??????-ABCD')).toBeNull();
  });
});

describe('properties', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 60 });
  test('normalisation is idempotent on the counterexample fast-check found', () => {
    expect(normalizeAddress(normalizeAddress('A AAStr'))).toBe(normalizeAddress('A AAStr'));
  });

  test('normalisation is idempotent', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(foldText(foldText(s))).toBe(foldText(s));
        expect(normalizeName(normalizeName(s))).toBe(normalizeName(s));
        expect(normalizeAddress(normalizeAddress(s))).toBe(normalizeAddress(s));
        expect(normalizeEmail(normalizeEmail(s))).toBe(normalizeEmail(s));
        expect(normalizeOrderNumber(normalizeOrderNumber(s))).toBe(normalizeOrderNumber(s));
      }),
      { numRuns: 500 },
    );
  });

  test('comparison is symmetric, and everything matches itself unless it folds to nothing', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(compareName(a, b)).toBe(compareName(b, a));
        expect(compareAddress(a, b)).toBe(compareAddress(b, a));
        expect(compareName(a, a)).toBe(normalizeName(a) === '' ? 'mismatch' : 'match');
      }),
      { numRuns: 500 },
    );
  });

  test('word order never changes a name', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-zÀ-ÿ]{1,10}$/), { minLength: 1, maxLength: 4 }), (words) => {
        expect(normalizeName(words.join(' '))).toBe(normalizeName([...words].reverse().join(', ')));
      }),
    );
  });
});
