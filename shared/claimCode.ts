/**
 * Claim codes: 14 or 15 letters and digits, case-insensitive, spaces and dashes
 * ignored; canonical form is upper case. A full code never leaves the main process
 * except in the demo fixtures; screens show only its last 4 characters.
 */
export const CLAIM_CODE_LENGTHS = [14, 15] as const;

/** Characters new codes are made of: no I, O, 0 or 1, which callers misread. */
export const CLAIM_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/gu;

export function canonicalClaimCode(raw: string): string {
  return raw.replace(SEPARATORS, '').toUpperCase();
}

export type ClaimCodeParse = { ok: true; code: string } | { ok: false; message: string };

export function parseClaimCode(raw: string): ClaimCodeParse {
  const code = canonicalClaimCode(raw);
  if (code.length === 0) return { ok: false, message: 'Enter the claim code.' };
  if (!/^[A-Z0-9]+$/.test(code)) {
    return { ok: false, message: 'A claim code has letters and digits only.' };
  }
  if (code.length !== 14 && code.length !== 15) {
    return { ok: false, message: `A claim code has 14 or 15 characters; this one has ${code.length}.` };
  }
  return { ok: true, code };
}

/** The legible part of a code: letters, digits and `?` for each unreadable character. */
export function canonicalFragment(raw: string): string {
  return raw.replace(SEPARATORS, '').toUpperCase();
}

export function fragmentProblem(raw: string): string | null {
  const fragment = canonicalFragment(raw);
  if (!/^[A-Z0-9?]+$/.test(fragment)) return 'Type the legible characters of the code, and ? for each one that cannot be read.';
  if (fragment.length !== 14 && fragment.length !== 15) {
    return `The code has 14 or 15 characters; this fragment covers ${fragment.length}. Use ? for each unreadable character.`;
  }
  return null;
}

export function claimCodeLast4(code: string): string {
  return canonicalClaimCode(code).slice(-4);
}

/** Groups as typed: 4-6-rest, the shape printed on the card (`ABCD-EFGHIJ-KLMN`). */
export function formatClaimCode(raw: string): string {
  const code = raw.replace(SEPARATORS, '').toUpperCase();
  const parts = [code.slice(0, 4), code.slice(4, 10), code.slice(10)].filter((p) => p.length > 0);
  return parts.join('-');
}

/** A claim code as the screen may show it: only the last 4 characters. */
export function maskClaimCode(last4: string): string {
  return `•••• •••••• ${last4}`;
}
