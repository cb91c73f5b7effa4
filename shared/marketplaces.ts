import type { Currency } from './money';

/** Each marketplace has exactly one currency; cards and accounts belong to one marketplace. */
export const marketplaces = {
  US: { currency: 'USD', locale: 'en-US', name: 'United States' },
  CA: { currency: 'CAD', locale: 'en-CA', name: 'Canada' },
  UK: { currency: 'GBP', locale: 'en-GB', name: 'United Kingdom' },
  DE: { currency: 'EUR', locale: 'de-DE', name: 'Germany' },
  JP: { currency: 'JPY', locale: 'ja-JP', name: 'Japan' },
  IN: { currency: 'INR', locale: 'en-IN', name: 'India' },
} as const satisfies Record<string, { currency: Currency; locale: string; name: string }>;

export type Marketplace = keyof typeof marketplaces;
export const marketplaceCodes = Object.keys(marketplaces) as Marketplace[];

export function isMarketplace(value: string): value is Marketplace {
  return Object.hasOwn(marketplaces, value);
}

export function currencyOf(marketplace: Marketplace): Currency {
  return marketplaces[marketplace].currency;
}

export function localeOf(marketplace: Marketplace): string {
  return marketplaces[marketplace].locale;
}

/** "Japan" for "JP"; an unknown code is shown as it is. */
export function marketplaceName(code: string): string {
  return isMarketplace(code) ? marketplaces[code].name : code;
}
