/**
 * Money crosses every boundary as an integer count of the currency's minor unit
 * (`…Minor` fields) beside its currency code. User input is a decimal string parsed
 * straight to that integer; formatting happens only at the edge, with
 * `Intl.NumberFormat`. No float ever holds an amount.
 */
export const currencies = {
  USD: { exponent: 2 },
  CAD: { exponent: 2 },
  GBP: { exponent: 2 },
  EUR: { exponent: 2 },
  JPY: { exponent: 0 },
  INR: { exponent: 2 },
} as const;

export type Currency = keyof typeof currencies;
export const currencyCodes = Object.keys(currencies) as Currency[];

export function isCurrency(value: string): value is Currency {
  return Object.hasOwn(currencies, value);
}

export function currencyExponent(currency: Currency): number {
  return currencies[currency].exponent;
}

export interface Money {
  minor: number;
  currency: Currency;
}

export type AmountParse = { ok: true; minor: number } | { ok: false; message: string };

/** Said of a negative amount here, and of a zero amount by the forms that move money. */
export const AMOUNT_NOT_POSITIVE = 'The amount must be more than zero.';

/**
 * Parses what an agent types ("12.5", "1,234.56", "500") into minor units, exactly.
 * Commas are accepted only as thousands separators in groups of three; the decimal
 * separator is a point. JPY has no minor unit, so "500.5" yen is refused rather than
 * rounded.
 */
export function parseAmount(input: string, currency: Currency): AmountParse {
  const exponent = currencyExponent(currency);
  const text = input.trim().replace(/[\s_]/g, '');
  if (text === '') return { ok: false, message: 'Enter an amount.' };
  if (text.startsWith('-')) return { ok: false, message: AMOUNT_NOT_POSITIVE };
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) {
    return { ok: false, message: 'Type the amount as a number, for example 12.50.' };
  }
  const whole = match[1]!.replace(/,/g, '');
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    return {
      ok: false,
      message:
        exponent === 0
          ? `${currency} has no minor unit; enter a whole number.`
          : `${currency} amounts have at most ${exponent} decimal places.`,
    };
  }
  const digits = (whole + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor)) {
    return { ok: false, message: 'That amount is too large.' };
  }
  return { ok: true, minor };
}

/** Minor units as an exact decimal string: 1234 USD → "12.34", 500 JPY → "500". */
export function minorToDecimalString(minor: number, currency: Currency): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not a safe integer amount: ${minor}`);
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor));
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats an amount for display in the marketplace's locale. The decimal string is
 * handed to `Intl.NumberFormat` as is, so no division or float rounding happens.
 */
export function formatMoney(minor: number, currency: Currency, locale = 'en-US'): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter.format(minorToDecimalString(minor, currency) as `${number}`);
}

/** Sums amounts of one currency, refusing to mix currencies or to lose precision. */
export function sumMinor(amounts: readonly Money[], currency: Currency): number {
  let total = 0;
  for (const amount of amounts) {
    if (amount.currency !== currency) {
      throw new RangeError(`cannot add ${amount.currency} to ${currency}`);
    }
    total += amount.minor;
    if (!Number.isSafeInteger(total)) throw new RangeError('sum is not a safe integer');
  }
  return total;
}

/** Whole major units in minor units: majorToMinor(500, 'JPY') = 500, (500, 'USD') = 50000. */
export function majorToMinor(major: number, currency: Currency): number {
  return major * 10 ** currencyExponent(currency);
}
