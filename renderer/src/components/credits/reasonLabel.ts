import { creditReasonLabels, type CreditReason } from '../../../../shared/credits';

/** A reason as a list shows it: the form's "(note required)" hint is for choosing, not reading. */
export function reasonLabel(reason: CreditReason): string {
  return creditReasonLabels[reason].replace(' (note required)', '');
}
