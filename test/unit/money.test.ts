import { describe, expect, test } from 'vitest';
import { currencyOf, localeOf, marketplaceCodes } from '../../shared/marketplaces';
import { formatMoney, majorToMinor, minorToDecimalString, parseAmount, sumMinor } from '../../shared/money';

describe('parseAmount', () => {
  test.each([
    ['12.50', 'USD', 1250],
    ['12.5', 'USD', 1250],
    ['12', 'USD', 1200],
    ['0.01', 'USD', 1],
    ['1,234.56', 'USD', 123456],
    [' 1 234.56 ', 'EUR', 123456],
    ['500', 'JPY', 500],
    ['50,000', 'JPY', 50000],
    ['40000.00', 'INR', 4000000],
    ['007.10', 'GBP', 710],
  ] as const)('%s %s → %d minor units', (input, currency, minor) => {
    expect(parseAmount(input, currency)).toEqual({ ok: true, minor });
  });

  test('JPY has no minor unit: decimals are refused, not rounded', () => {
    const parsed = parseAmount('500.5', 'JPY');
    expect(parsed).toEqual({ ok: false, message: 'JPY has no minor unit; enter a whole number.' });
    expect(parseAmount('500.', 'JPY')).toEqual({ ok: true, minor: 500 });
  });

  test.each([
    ['', 'Enter an amount.'],
    ['-5', 'The amount must be more than zero.'],
    ['12.345', 'USD amounts have at most 2 decimal places.'],
    ['12,34', 'Type the amount as a number, for example 12.50.'],
    ['1e3', 'Type the amount as a number, for example 12.50.'],
    ['$12', 'Type the amount as a number, for example 12.50.'],
    ['99999999999999999999', 'That amount is too large.'],
  ])('refuses %j with a specific message', (input, message) => {
    expect(parseAmount(input, 'USD')).toEqual({ ok: false, message });
  });

  test('never goes through a float: 0.1 + 0.2 style inputs stay exact', () => {
    expect(parseAmount('0.29', 'USD')).toEqual({ ok: true, minor: 29 });
    expect(parseAmount('4.35', 'USD')).toEqual({ ok: true, minor: 435 });
    expect(parseAmount('90071992547409.91', 'USD')).toEqual({ ok: true, minor: 9007199254740991 });
  });
});

describe('formatting', () => {
  test('minorToDecimalString is exact', () => {
    expect(minorToDecimalString(1, 'USD')).toBe('0.01');
    expect(minorToDecimalString(-1250, 'EUR')).toBe('-12.50');
    expect(minorToDecimalString(500, 'JPY')).toBe('500');
    expect(minorToDecimalString(9007199254740991, 'USD')).toBe('90071992547409.91');
  });

  test('formats each marketplace in its own locale and currency', () => {
    const shown = Object.fromEntries(
      marketplaceCodes.map((mk) => [mk, formatMoney(majorToMinor(1234, currencyOf(mk)) + (currencyOf(mk) === 'JPY' ? 0 : 56), currencyOf(mk), localeOf(mk))]),
    );
    expect(shown['US']).toBe('$1,234.56');
    expect(shown['CA']).toBe('$1,234.56');
    expect(shown['UK']).toBe('£1,234.56');
    expect(shown['DE']).toBe('1.234,56\u00a0€');
    expect(shown['JP']).toBe('￥1,234');
    expect(shown['IN']).toBe('₹1,234.56');
  });

  test('JPY shows no decimals; INR groups in lakhs', () => {
    expect(formatMoney(50000, 'JPY', 'ja-JP')).toBe('￥50,000');
    expect(formatMoney(4000000, 'INR', 'en-IN')).toBe('₹40,000.00');
    expect(formatMoney(1234567800, 'INR', 'en-IN')).toBe('₹1,23,45,678.00');
  });

  test('huge amounts format without float rounding', () => {
    expect(formatMoney(9007199254740991, 'USD')).toBe('$90,071,992,547,409.91');
  });
});

describe('sums', () => {
  test('sums JPY and INR exactly and refuses mixed currencies', () => {
    expect(sumMinor([{ minor: 1000, currency: 'JPY' }, { minor: 25000, currency: 'JPY' }], 'JPY')).toBe(26000);
    expect(sumMinor([{ minor: 50000, currency: 'INR' }, { minor: 1, currency: 'INR' }], 'INR')).toBe(50001);
    expect(() => sumMinor([{ minor: 1, currency: 'USD' }], 'CAD')).toThrow(/cannot add USD to CAD/);
  });

  test('majorToMinor respects the exponent', () => {
    expect(majorToMinor(500, 'USD')).toBe(50000);
    expect(majorToMinor(50000, 'JPY')).toBe(50000);
    expect(majorToMinor(40000, 'INR')).toBe(4000000);
  });
});
