/**
 * An audit entry in words: a short sentence per action family (the ticket view's
 * timeline and the table's "What happened" column), the card or account it leads to,
 * and its details' keys as labels. Entries written before a rename keep their old
 * action name, so anything unknown still reads as words, never as raw JSON.
 */
import { creditReasonLabels, type CreditReason } from '../../../../shared/credits';
import { isCurrency } from '../../../../shared/money';
import { formatSerial } from '../../../../shared/serial';
import type { AuditEntryView } from '../../../../shared/types';
import { money } from '../../format';

/** `amountMinor` → "Amount minor"; `ledgerEntryId` → "Ledger entry id". */
export function keyToWords(key: string): string {
  const spaced = key
    .replace(/[_.]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);

/** "$12.50" when the details hold a minor amount and a currency it can be read in. */
export function moneyOf(minor: unknown, currency: unknown): string | null {
  if (typeof minor !== 'number' || !Number.isSafeInteger(minor) || typeof currency !== 'string' || !isCurrency(currency)) return null;
  return money(minor, currency);
}

function cardText(serial: string | null): string {
  return serial && /^\d{19}$/.test(serial) ? formatSerial(serial) : (serial ?? 'an unknown card');
}

function reasonText(reason: unknown): string | null {
  if (typeof reason !== 'string') return null;
  return reason in creditReasonLabels ? creditReasonLabels[reason as CreditReason].toLowerCase() : reason;
}

/** What the entry did, as one sentence without the actor ("Redeemed card … to account …"). */
export function describeEntry(entry: AuditEntryView): string {
  const d = entry.details;
  const card = () => cardText(entry.subjectType === 'card' ? entry.subjectId : text(d['serial']));
  const account = text(d['accountId']) ?? (entry.subjectType === 'account' ? entry.subjectId : null);
  const amount = moneyOf(d['amountMinor'], d['currency']);
  const request = `credit request #${entry.subjectId ?? '?'}`;
  const action = entry.action;

  switch (action) {
    case 'session.signIn':
      return 'Signed in';
    case 'session.signIn.failed':
      return 'Failed to sign in (wrong username or password)';
    case 'session.signIn.refused':
      return 'Was refused a sign-in (the user is locked)';
    case 'session.signOut':
      return 'Signed out';
    case 'session.idleLock':
      return 'Was signed out after a period without activity';
    case 'card.lookup':
      return `Looked up card ${card()}`;
    case 'card.balanceInquiry':
      return `Checked the balance of card ${card()}`;
    case 'card.redeemed':
      return `Redeemed card ${card()}${amount ? ` (${amount})` : ''}${account ? ` to account ${account}` : ''}`;
    case 'card.redeem.refused': {
      const last4 = text(d['claimCodeLast4']);
      return `Was refused a redemption${account ? ` to account ${account}` : ''}${last4 ? ` (code ending ${last4})` : ''}`;
    }
    case 'account.viewed':
      return `Opened account ${account ?? entry.subjectId ?? ''}`.trim();
    case 'account.search':
      return 'Searched the customer accounts';
    case 'account.search.refused':
      return 'Was refused an account search (too many searches)';
    case 'recovery.verify': {
      const outcome = text(d['outcome']);
      return `Checked the caller's details on card ${card()}${outcome ? `: ${outcome}` : ''}`;
    }
    case 'recovery.verify.refused':
      return `Was refused a check of the caller's details on card ${card()}`;
    case 'recovery.locked':
      return `Recovery locked on card ${card()} after repeated failed checks`;
    case 'recovery.unlocked':
      return `Unlocked recovery on card ${card()}`;
    case 'recovery.unlock.refused':
      return `Was refused unlocking recovery on card ${card()}`;
    case 'recovery.resolved': {
      const replacement = text(d['replacementSerial']);
      if (replacement) return `Resolved the recovery of card ${card()} with replacement card ${cardText(replacement)}`;
      return `Resolved the recovery of card ${card()}${amount ? ` by redeeming ${amount}` : ''}${account ? ` to account ${account}` : ''}`;
    }
    case 'recovery.resolve.refused':
      return `Was refused resolving the recovery of card ${card()}`;
    case 'credit.requested': {
      const reason = reasonText(d['reason']);
      return `Requested a manual credit${amount ? ` of ${amount}` : ''}${account ? ` to account ${account}` : ''}${reason ? ` (${reason})` : ''}`;
    }
    case 'credit.approved': {
      if (d['posted'] === true) return `Approved ${request}${amount ? `; ${amount} credited` : ''}`;
      const approvals = text(d['approvals']);
      const required = text(d['required']);
      return `Approved ${request}${approvals && required ? ` (${approvals} of ${required} approvals)` : ''}`;
    }
    case 'credit.approve.refused':
      return `Was refused approving ${request}`;
    case 'credit.rejected': {
      const reason = text(d['reason']);
      return `Rejected ${request}${reason ? ` (reason: ${reason})` : ''}`;
    }
    case 'credit.cancelled':
      return `Cancelled ${request}`;
    case 'credit.expired':
      return `${request.charAt(0).toUpperCase()}${request.slice(1)} expired`;
    case 'audit.verified':
      return 'Verified the audit chain';
    case 'demo.seeded':
      return 'Loaded the demo data';
    case 'cards.imported':
      return 'Imported a batch of cards';
    default:
      break;
  }
  // Families written by newer features: reveals and notes.
  if (action.startsWith('pii.')) {
    const field = text(d['field']);
    const reason = text(d['reason']);
    const what = field ? keyToWords(field).toLowerCase() : 'personal data';
    const refused = action.endsWith('.refused');
    return `${refused ? 'Was refused revealing' : 'Revealed'} ${what}${reason ? ` (reason: ${reason})` : ''}`;
  }
  if (/note/i.test(action)) return 'Added a note';
  if (action.endsWith('.refused')) return `Was refused: ${keyToWords(action.replace(/\.refused$/, '')).toLowerCase()}`;
  return keyToWords(action);
}

export type EntryLink = { kind: 'card'; serial: string } | { kind: 'account'; accountId: string };

/** Where an entry leads: its card or account, and the account its details name. */
export function entryLinks(entry: AuditEntryView): EntryLink[] {
  const links: EntryLink[] = [];
  if (entry.subjectType === 'card' && entry.subjectId) links.push({ kind: 'card', serial: entry.subjectId });
  if (entry.subjectType === 'account' && entry.subjectId) links.push({ kind: 'account', accountId: entry.subjectId });
  const replacement = text(entry.details['replacementSerial']);
  if (replacement && /^\d{19}$/.test(replacement)) links.push({ kind: 'card', serial: replacement });
  const accountId = text(entry.details['accountId']);
  if (accountId && !links.some((l) => l.kind === 'account' && l.accountId === accountId)) links.push({ kind: 'account', accountId });
  return links;
}

export function linkLabel(link: EntryLink): string {
  return link.kind === 'card' ? `Open card ${formatSerial(link.serial)}` : `Open account ${link.accountId}`;
}
