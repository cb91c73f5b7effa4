import { describe, expect, test } from 'vitest';
import { canonicalClaimCode, claimCodeLast4, formatClaimCode, parseClaimCode } from '../../shared/claimCode';
import { maskAddress, maskEmail, maskName } from '../../shared/mask';

describe('claim codes', () => {
  test('canonical form ignores case, spaces and dashes', () => {
    expect(canonicalClaimCode('abcd-efghij-klmn')).toBe('ABCDEFGHIJKLMN');
    expect(parseClaimCode(' abcd efghij klmn5 ')).toEqual({ ok: true, code: 'ABCDEFGHIJKLMN5' });
  });

  test('refuses other lengths and characters with a reason', () => {
    expect(parseClaimCode('ABC')).toEqual({ ok: false, message: 'A claim code has 14 or 15 characters; this one has 3.' });
    expect(parseClaimCode('ABCD-EFGH!J-KLMN')).toEqual({ ok: false, message: 'A claim code has letters and digits only.' });
    expect(parseClaimCode('')).toEqual({ ok: false, message: 'Enter the claim code.' });
  });

  test('last 4 and the printed grouping', () => {
    expect(claimCodeLast4('abcd-efghij-klmn')).toBe('KLMN');
    expect(formatClaimCode('abcdefghijklmn')).toBe('ABCD-EFGHIJ-KLMN');
    expect(formatClaimCode('abcde')).toBe('ABCD-E');
  });
});

describe('masking personal data', () => {
  test('names keep only each word’s first character', () => {
    expect(maskName('Jane Doe')).toBe('J••• D••');
    expect(maskName('  Jürgen   Müller ')).toBe('J••••• M•••••');
    expect(maskName('山田 太郎')).toBe('山• 太•');
  });

  test('e-mail keeps the first character of local part and host, and the top-level domain', () => {
    expect(maskEmail('jane.doe@mail.example.com')).toBe('j•••••••@m•••••••••••.com');
    expect(maskEmail('x@y.io')).toBe('x•@y•.io');
  });

  test('addresses keep their punctuation and shape, never the words', () => {
    const masked = maskAddress('1420 Maple Street, Apt 5, Springfield, IL 62704');
    expect(masked).toBe('1••• M•••• S•••••, A•• 5•, S••••••••••, I• 6••••');
    expect(masked).not.toMatch(/Maple|Springfield|62704/);
  });
});
