/**
 * Personal data is shown masked: each word keeps its first character, the rest
 * becomes bullets; e-mail keeps the first character of the local part and the
 * top-level domain. The main process masks before anything crosses IPC, so a
 * renderer never holds the clear value.
 */
const BULLET = '•';

function maskWord(word: string): string {
  const chars = Array.from(word);
  if (chars.length === 0) return '';
  if (!/[\p{L}\p{N}]/u.test(word)) return word;
  return chars[0] + BULLET.repeat(Math.max(chars.length - 1, 1));
}

export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/u)
    .filter((w) => w.length > 0)
    .map(maskWord)
    .join(' ');
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskName(email);
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${maskWord(local)}@${maskWord(host)}${tld}`;
}

/** Keeps separators (commas, line breaks) so the shape of the address stays readable. */
export function maskAddress(address: string): string {
  return address
    .split(/(\s+|,)/u)
    .map((part) => (/^(\s+|,)$/u.test(part) ? part : maskWord(part)))
    .join('');
}
