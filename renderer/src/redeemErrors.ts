/** A refused redemption as a sentence an agent can read to the caller. */
import { marketplaceName as nameOf } from '../../shared/marketplaces';
import { CallError } from './api';
import { formatDate, formatDateTime, formatTime } from './format';

function marketplaceName(code: unknown): string {
  return nameOf(String(code));
}

export function redemptionErrorSentence(error: unknown): { title: string; sentence: string } {
  if (!(error instanceof CallError)) return { title: 'The code was not redeemed', sentence: 'Something went wrong. Try again.' };
  const d = error.details ?? {};
  switch (error.code) {
    case 'CLAIM_CODE_INVALID':
      return { title: 'That is not a claim code', sentence: `${error.message} Ask the caller to read it again.` };
    case 'CLAIM_CODE_NOT_FOUND':
      return {
        title: 'Unknown claim code',
        sentence: 'No gift card has this claim code. Ask the caller to read it again, character by character (0 and O, 1 and I look alike).',
      };
    case 'CARD_ALREADY_REDEEMED':
      return d['sameAccount']
        ? {
            title: 'Already on this account',
            sentence: `This code was already added to this account on ${formatDateTime(String(d['redeemedAt']))}. The balance already includes it.`,
          }
        : {
            title: 'Already redeemed',
            sentence: `This code was already redeemed on ${formatDate(String(d['redeemedAt']))}, to a different account. It cannot be used again.`,
          };
    case 'MARKETPLACE_MISMATCH':
      return {
        title: 'Wrong marketplace',
        sentence: `This is a ${marketplaceName(d['cardMarketplace'])} gift card. It can only be added to a ${marketplaceName(d['cardMarketplace'])} account, and this account is in ${marketplaceName(d['accountMarketplace'])}.`,
      };
    case 'CARD_VOID':
      return {
        title: 'Cancelled card',
        sentence: 'This card was cancelled and has no value, so it cannot be redeemed. Look the card up by its serial to see why.',
      };
    case 'REDEMPTION_RATE_LIMITED':
      return {
        title: 'Too many failed attempts',
        sentence: `Too many codes failed on this account in the last hour. Redemption on this account can be tried again after ${formatTime(String(d['retryAt']))}.`,
      };
    case 'IDEMPOTENCY_CONFLICT':
      return { title: 'Request clash', sentence: 'This request was already used for a different code. Close this dialog and start again.' };
    case 'ACCOUNT_NOT_FOUND':
      return { title: 'No such account', sentence: error.message };
    default:
      return { title: 'The code was not redeemed', sentence: error.message };
  }
}
