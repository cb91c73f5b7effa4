/**
 * The Audit screen's words and filter values, without a screen: each action family's
 * sentence, the details' labels and money, where an entry links, and the filter form's
 * values turned into the shared filter (blank unset, serials canonical, local time → ISO,
 * a backwards range refused with the shared message).
 */
import { describe, expect, test } from 'vitest';
import { AUDIT_RANGE_BACKWARDS } from '../../shared/auditFilter';
import type { AuditEntryView } from '../../shared/types';
import { describeEntry, entryLinks, keyToWords, moneyOf } from '../../renderer/src/components/audit/auditWords';
import { auditFilterFormSchema, isoToLocal, localToIso } from '../../renderer/src/components/audit/filterValues';

const SERIAL = '1702311299511667022';

function entry(action: string, fields: Partial<AuditEntryView> = {}): AuditEntryView {
  return { seq: 1, at: '2026-11-24T09:00:00.000Z', actor: 'sam', action, subjectType: null, subjectId: null, ticketId: 'T-1', details: {}, hash: 'h', ...fields };
}

describe('describeEntry: one sentence per action family', () => {
  test.each([
    [entry('recovery.verify', { subjectType: 'card', subjectId: SERIAL, details: { outcome: 'verified' } }), "Checked the caller's details on card 1702 3112 9951 1667 022: verified"],
    [
      entry('card.redeemed', { subjectType: 'card', subjectId: SERIAL, details: { accountId: 'ACC-US-1001', amountMinor: 20000, currency: 'USD' } }),
      'Redeemed card 1702 3112 9951 1667 022 ($200.00) to account ACC-US-1001',
    ],
    [
      entry('credit.requested', { subjectType: 'creditRequest', subjectId: '7', details: { accountId: 'ACC-US-1001', amountMinor: 500, currency: 'USD', reason: 'GOODWILL' } }),
      'Requested a manual credit of $5.00 to account ACC-US-1001 (goodwill)',
    ],
    [entry('credit.approved', { subjectId: '7', details: { posted: true, amountMinor: 500, currency: 'USD' } }), 'Approved credit request #7; $5.00 credited'],
    [entry('credit.approved', { subjectId: '7', details: { posted: false, approvals: 1, required: 2 } }), 'Approved credit request #7 (1 of 2 approvals)'],
    [entry('credit.rejected', { subjectId: '7', details: { reason: 'not needed' } }), 'Rejected credit request #7 (reason: not needed)'],
    [entry('pii.revealed', { details: { field: 'purchaserName', reason: 'caller disputes the order' } }), 'Revealed purchaser name (reason: caller disputes the order)'],
    [entry('card.noteAdded'), 'Added a note'],
    [entry('card.redeem.refused', { details: { accountId: 'ACC-US-1001', claimCodeLast4: 'AB12' } }), 'Was refused a redemption to account ACC-US-1001 (code ending AB12)'],
    // An action this build does not know still reads as words.
    [entry('widget.polished.refused'), 'Was refused: widget polished'],
    [entry('widget.polished'), 'Widget polished'],
  ])('%#: %s', (e, sentence) => {
    expect(describeEntry(e)).toBe(sentence);
  });

  test('an amount in an unknown currency is left out, not guessed', () => {
    expect(describeEntry(entry('card.redeemed', { subjectType: 'card', subjectId: SERIAL, details: { amountMinor: 5, currency: 'XXX' } }))).toBe(
      'Redeemed card 1702 3112 9951 1667 022',
    );
  });
});

test('keys become words; money only from a whole minor amount in a known currency', () => {
  expect(keyToWords('ledgerEntryId')).toBe('Ledger entry id');
  expect(keyToWords('claimCodeLast4')).toBe('Claim code last4');
  expect(keyToWords('checks.orderNumber')).toBe('Checks order number');
  expect(moneyOf(12345, 'USD')).toBe('$123.45');
  expect(moneyOf(1.5, 'USD')).toBeNull();
  expect(moneyOf('100', 'USD')).toBeNull();
  expect(moneyOf(100, 'ZZZ')).toBeNull();
});

test('links: the card or account subject, a replacement card, and the account the details name (once)', () => {
  expect(entryLinks(entry('recovery.resolved', { subjectType: 'card', subjectId: SERIAL, details: { replacementSerial: '1733458861125139526', accountId: null } }))).toEqual([
    { kind: 'card', serial: SERIAL },
    { kind: 'card', serial: '1733458861125139526' },
  ]);
  expect(entryLinks(entry('account.viewed', { subjectType: 'account', subjectId: 'ACC-US-1001', details: { accountId: 'ACC-US-1001' } }))).toEqual([
    { kind: 'account', accountId: 'ACC-US-1001' },
  ]);
  expect(entryLinks(entry('session.signIn', { subjectType: 'user', subjectId: 'sam' }))).toEqual([]);
});

describe('the filter form → the shared filter', () => {
  const blank = { actor: '', action: '', subject: '', ticketId: '', from: '', to: '' };

  test('blank fields are unset; a serial with spaces is its 19 digits; an account id stays as typed', () => {
    expect(auditFilterFormSchema.parse(blank)).toEqual({});
    expect(auditFilterFormSchema.parse({ ...blank, subject: '1702 3112 9951 1667 022', actor: ' ava ' })).toEqual({ subject: SERIAL, actor: 'ava' });
    expect(auditFilterFormSchema.parse({ ...blank, subject: 'ACC-US-1001' })).toEqual({ subject: 'ACC-US-1001' });
  });

  test('local times become ISO and back; a backwards range is refused under "to" with the shared words', () => {
    const from = localToIso('2026-11-24T09:00') as string;
    expect(from).toBe(new Date(2026, 10, 24, 9, 0).toISOString());
    expect(isoToLocal(from)).toBe('2026-11-24T09:00');
    expect(auditFilterFormSchema.parse({ ...blank, from: '2026-11-24T09:00', to: '2026-11-24T10:00' })).toEqual({ from, to: new Date(2026, 10, 24, 10, 0).toISOString() });
    const backwards = auditFilterFormSchema.safeParse({ ...blank, from: '2026-11-24T10:00', to: '2026-11-24T09:00' });
    expect(backwards.success).toBe(false);
    expect(backwards.error?.issues).toEqual([expect.objectContaining({ path: ['to'], message: AUDIT_RANGE_BACKWARDS })]);
  });

  test('an action with anything but letters and dots is refused with the shared message', () => {
    const bad = auditFilterFormSchema.safeParse({ ...blank, action: 'card.*' });
    expect(bad.error?.issues[0]?.message).toBe('An action is letters and dots only (e.g. card. or credit.approved).');
  });
});
