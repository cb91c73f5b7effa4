import { localeOf, type Marketplace } from '../../shared/marketplaces';
import { formatMoney, type Currency } from '../../shared/money';

export function money(minor: number, currency: Currency, marketplace?: Marketplace): string {
  return formatMoney(minor, currency, marketplace ? localeOf(marketplace) : undefined);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));
export const formatTime = (iso: string) => timeFormat.format(new Date(iso));
