import { isCurrency } from '../../../../shared/money';
import { CallError, errorMessage } from '../../api';
import { money } from '../../format';

/** A refused credit request in words for the agent, with the limit or currency it ran into. */
export function requestRefusal(error: unknown): string {
  if (!(error instanceof CallError)) return errorMessage(error);
  const d = error.details ?? {};
  switch (error.code) {
    case 'AMOUNT_OVER_LIMIT': {
      const currency = String(d['currency']);
      const most = isCurrency(currency) ? ` (${money(Number(d['maxMinor']), currency)})` : '';
      return `That is more than one manual credit may be${most}. Ask a supervisor how to proceed.`;
    }
    case 'CURRENCY_MISMATCH':
      return `This account is in ${String(d['accountCurrency'])}; the credit must be in ${String(d['accountCurrency'])} too.`;
    default:
      return error.message;
  }
}
