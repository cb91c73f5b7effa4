import * as fc from 'fast-check';
import { expect } from 'vitest';
import { verifyAuditChain } from '../../electron/services/audit';
import { lookupCard } from '../../electron/services/cards';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import { resolveRecovery, unlockRecovery, verifyRecovery, type VerifyInput } from '../../electron/services/recovery';
import { parseClaimCode } from '../../shared/claimCode';
import { parseSerial } from '../../shared/serial';
import { expectLedgerBalanced, newKey } from '../support/ledger';
import { race, RACE_TIMEOUT_MS } from '../support/race';
import { refusal } from '../support/errors';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const f = demoFixtures();
const data = generateDemoDataset();
const ava = { id: 1, username: 'ava', role: 'agent' as const };
const sam = { id: 2, username: 'sam', role: 'supervisor' as const };
const sky = { id: 3, username: 'sky', role: 'supervisor' as const };
const emailCard = f.cards.damagedEmailUS;
const physicalCard = f.cards.damagedPhysicalCA;
const usAccount = f.accounts.usCustomer.id;
const caAccount = f.accounts.caCustomer.id;

function facts(card: typeof emailCard, overrides: Partial<VerifyInput> = {}): VerifyInput {
  return {
    serial: card.serial,
    orderNumber: card.orderNumber,
    purchaserName: card.purchaserName,
    recipientName: card.recipientName,
    deliveryAddress: card.deliveryAddress,
    claimCodeFragment: card.claimCodeFragment,
    ticketId: 'T-500',
    ...overrides,
  };
}


const wrongOrder = (card: typeof emailCard) => facts(card, { orderNumber: '999-0000000-0000000' });

async function verified(store: TestStore, card = emailCard) {
  const result = await verifyRecovery(store, ava, facts(card));
  expect(result.outcome).toBe('verified');
  return result;
}

forEachEngine(() => {
  test('the right facts, however they are said, verify the caller', async ({ demoStore: store }) => {
    const [first, ...rest] = emailCard.recipientName.split(' ');
    const result = await verifyRecovery(
      store,
      ava,
      facts(emailCard, {
        orderNumber: emailCard.orderNumber.replace(/-/g, ' '),
        recipientName: `${rest.join(' ')}, ${first}`.toUpperCase(),
        deliveryAddress: `  ${emailCard.deliveryAddress.toUpperCase()} `,
        claimCodeFragment: emailCard.claimCodeFragment.toLowerCase(),
      }),
    );
    expect(result).toMatchObject({
      outcome: 'verified',
      checks: { orderNumber: 'match', purchaserName: 'match', recipientName: 'match', deliveryAddress: 'match', claimCodeFragment: 'consistent' },
      attemptsRemaining: 3,
      lockedAt: null,
      expiresAt: new Date(store.clock.now().getTime() + 30 * 60_000).toISOString(),
    });
    expect(result.caseId).toMatch(/^[0-9a-f-]{36}$/);
    const audit = await store.db('audit_log').where({ action: 'recovery.verify' }).first();
    expect(audit).toMatchObject({ actor: 'ava', subject_id: emailCard.serial, ticket_id: 'T-500' });
    const card = await lookupCard(store, ava, { serial: emailCard.serial });
    expect(card.events.map((e) => e.summary)).toContain('Recovery check: caller verified');
  });

  test('a close name still verifies; a close address does not', async ({ demoStore: store }) => {
    const typo = physicalCard.purchaserName.replace(/^(.)(.)/, '$2$1'); // swapped first two letters
    const close = await verifyRecovery(store, ava, facts(physicalCard, { purchaserName: typo, claimCodeFragment: undefined }));
    expect(close.checks.purchaserName).toBe('close');
    expect(close.outcome).toBe('verified');
    expect(close.checks).not.toHaveProperty('claimCodeFragment');
    const address = physicalCard.deliveryAddress.replace(/\d/, (d) => String((Number(d) + 1) % 10));
    const failed = await verifyRecovery(store, ava, facts(physicalCard, { deliveryAddress: address }));
    // One digit off is still a mismatch: order number and address never answer "close".
    expect(failed.checks.deliveryAddress).toBe('mismatch');
    expect(failed).toMatchObject({ outcome: 'failed', attemptsRemaining: 2, expiresAt: null });
  });

  test('an inconsistent fragment fails the check', async ({ demoStore: store }) => {
    const wrong = emailCard.claimCodeFragment.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const result = await verifyRecovery(store, ava, facts(emailCard, { claimCodeFragment: wrong }));
    expect(result).toMatchObject({ outcome: 'failed', checks: { claimCodeFragment: 'inconsistent', orderNumber: 'match' } });
    await expect(verifyRecovery(store, ava, facts(emailCard, { claimCodeFragment: 'AB??' }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ path: 'claimCodeFragment' }] },
    });
  });

  test('exactly 3 failures within 24 h lock recovery until a supervisor unlocks it', async ({ demoStore: store }) => {
    expect(await verifyRecovery(store, ava, wrongOrder(emailCard))).toMatchObject({ outcome: 'failed', attemptsRemaining: 2 });
    store.clock.advanceMinutes(60);
    expect(await verifyRecovery(store, ava, wrongOrder(emailCard))).toMatchObject({ outcome: 'failed', attemptsRemaining: 1 });
    store.clock.advanceMinutes(60);
    const third = await verifyRecovery(store, ava, wrongOrder(emailCard));
    expect(third).toMatchObject({ outcome: 'locked', attemptsRemaining: 0, lockedAt: store.clock.now().toISOString() });
    // Even the right facts are refused now, with when it was locked; no new case is opened.
    const locked = await refusal(verifyRecovery(store, ava, facts(emailCard)));
    expect(locked.toBody()).toMatchObject({ code: 'RECOVERY_LOCKED', details: { lockedAt: third.lockedAt } });
    expect(await store.db('recovery_cases')).toHaveLength(3);
    expect((await lookupCard(store, ava, { serial: emailCard.serial })).recoveryLockedAt).toBe(third.lockedAt);

    expect((await refusal(unlockRecovery(store, sam, { serial: physicalCard.serial, reason: 'not locked' }))).code).toBe('RECOVERY_NOT_LOCKED');
    await unlockRecovery(store, sam, { serial: emailCard.serial, reason: 'Caller verified by phone callback' });
    // Failures before the unlock no longer count: one more failure does not re-lock.
    expect(await verifyRecovery(store, ava, wrongOrder(emailCard))).toMatchObject({ outcome: 'failed', attemptsRemaining: 2 });
    expect(await verifyRecovery(store, ava, facts(emailCard))).toMatchObject({ outcome: 'verified' });
    const actions = (await store.db('audit_log').orderBy('seq').select('action')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['recovery.locked', 'recovery.verify.refused', 'recovery.unlocked']));
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
  });

  test('3 failures spread over more than 24 h do not lock', async ({ demoStore: store }) => {
    for (let i = 0; i < 3; i++) {
      expect((await verifyRecovery(store, ava, wrongOrder(emailCard))).outcome).toBe('failed');
      store.clock.advanceMinutes(13 * 60);
    }
    expect((await verifyRecovery(store, ava, facts(emailCard))).outcome).toBe('verified');
  });

  test('redeemed and void cards have nothing to recover', async ({ demoStore: store }) => {
    const redeemed = data.cards.find((c) => c.serial === f.cards.redeemedUS.serial)!;
    const result = await refusal(
      verifyRecovery(store, ava, {
        serial: redeemed.serial,
        orderNumber: redeemed.orderNumber,
        purchaserName: redeemed.purchaserName,
        recipientName: redeemed.recipientName,
        deliveryAddress: redeemed.deliveryEmail ?? redeemed.deliveryAddress ?? '',
        ticketId: 'T-1',
      }),
    );
    expect(result.code).toBe('CARD_ALREADY_REDEEMED');
    const voidCard = await refusal(verifyRecovery(store, ava, { ...facts(emailCard), serial: f.cards.voidUK.serial }));
    expect(voidCard.code).toBe('CARD_VOID');
    expect(await store.db('recovery_cases')).toHaveLength(0);
  });

  test('resolve to an account: the value moves like a redemption, once', async ({ demoStore: store }) => {
    const check = await verified(store);
    const before = (await store.db('accounts').where({ id: usAccount }).first()).balance_minor;
    const key = newKey();
    const mismatch = await refusal(resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-500', action: 'redeemToAccount', accountId: caAccount, idempotencyKey: newKey() }));
    expect(mismatch.toBody()).toMatchObject({ code: 'MARKETPLACE_MISMATCH', details: { cardMarketplace: 'US', accountMarketplace: 'CA' } });
    const result = await resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-500', action: 'redeemToAccount', accountId: usAccount, idempotencyKey: key });
    expect(result).toMatchObject({
      action: 'redeemToAccount',
      serial: emailCard.serial,
      amountMinor: emailCard.faceValueMinor,
      accountId: usAccount,
      balanceMinor: before + emailCard.faceValueMinor,
      replacementSerial: null,
    });
    expect(await resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-500', action: 'redeemToAccount', accountId: usAccount, idempotencyKey: key })).toEqual(result);
    const twice = await refusal(resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-500', action: 'reissue', idempotencyKey: newKey() }));
    expect(twice.toBody()).toMatchObject({ code: 'CASE_ALREADY_RESOLVED', details: { resolution: 'redeemToAccount' } });
    const entry = await store.db('ledger_entries').where({ account_id: usAccount }).orderBy('id', 'desc').first();
    expect(entry).toMatchObject({ type: 'recovery_credit', reason: 'DAMAGED_CODE', ticket_id: 'T-500', amount_minor: emailCard.faceValueMinor });
    expect((await store.db('cards').where({ serial: emailCard.serial }).first()).status).toBe('redeemed');
    await expectLedgerBalanced(store);
  });

  test('reissue voids the old card and records a new one for delivery, never showing a code', async ({ demoStore: store }) => {
    const check = await verified(store, physicalCard);
    const result = await resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-500', action: 'reissue', idempotencyKey: newKey() });
    expect(result).toMatchObject({ action: 'reissue', serial: physicalCard.serial, amountMinor: physicalCard.faceValueMinor, currency: 'CAD' });
    expect(parseSerial(result.replacementSerial!).ok).toBe(true);
    expect(result.replacementSerial).not.toBe(physicalCard.serial);
    expect(result.delivery!.channel).toBe('physical');
    expect(result.delivery!.destination).toContain('•');
    expect(JSON.stringify(result)).not.toContain(physicalCard.deliveryAddress);
    const old = await store.db('cards').where({ serial: physicalCard.serial }).first();
    const replacement = await store.db('cards').where({ serial: result.replacementSerial }).first();
    expect(old).toMatchObject({ status: 'void', replaced_by_card_id: replacement.id });
    expect(replacement).toMatchObject({
      status: 'active',
      marketplace: 'CA',
      face_value_minor: physicalCard.faceValueMinor,
      replaces_card_id: old.id,
      order_number: physicalCard.orderNumber,
    });
    const newCode = store.vault.decrypt(replacement.claim_code_cipher, replacement.serial);
    expect(parseClaimCode(newCode)).toEqual({ ok: true, code: newCode });
    expect(newCode).not.toBe(physicalCard.claimCode);
    expect(replacement.claim_code_digest).toBe(store.vault.digest(newCode));
    expect(JSON.stringify(result)).not.toContain(newCode);
    expect(await store.db('card_deliveries').where({ card_id: replacement.id })).toEqual([
      expect.objectContaining({ channel: 'physical', destination: physicalCard.deliveryAddress, status: 'queued', case_id: check.caseId }),
    ]);
    const details = await lookupCard(store, ava, { serial: physicalCard.serial });
    expect(details.replacedBySerial).toBe(result.replacementSerial);
    expect(details.events.map((e) => e.type)).toEqual(expect.arrayContaining(['recovery_check', 'voided', 'replaced']));
    await expectLedgerBalanced(store);
  });

  test('a case expires after 30 minutes; an unverified case cannot be resolved', async ({ demoStore: store }) => {
    const check = await verified(store);
    store.clock.advanceMinutes(31);
    const expired = await refusal(resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-500', action: 'reissue', idempotencyKey: newKey() }));
    expect(expired.toBody()).toMatchObject({ code: 'CASE_EXPIRED', details: { expiredAt: check.expiresAt } });
    const failed = await verifyRecovery(store, ava, wrongOrder(emailCard));
    expect((await refusal(resolveRecovery(store, ava, { caseId: failed.caseId, ticketId: 'T-500', action: 'reissue', idempotencyKey: newKey() }))).code).toBe('CASE_NOT_VERIFIED');
    expect((await refusal(resolveRecovery(store, ava, { caseId: '00000000-0000-4000-8000-000000000000', ticketId: 'T-500', action: 'reissue', idempotencyKey: newKey() }))).code).toBe('CASE_NOT_FOUND');
    expect((await store.db('cards').where({ serial: emailCard.serial }).first()).status).toBe('active');
  });

  test('a refused resolution is on record with its code, and changes nothing else', async ({ demoStore: store }) => {
    const check = await verified(store);
    const resolve = (input: Partial<Parameters<typeof resolveRecovery>[2]>) =>
      refusal(resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-500', action: 'redeemToAccount', accountId: caAccount, idempotencyKey: newKey(), ...input } as Parameters<typeof resolveRecovery>[2]));
    expect((await resolve({})).code).toBe('MARKETPLACE_MISMATCH');
    expect((await resolve({ caseId: '00000000-0000-4000-8000-000000000000' })).code).toBe('CASE_NOT_FOUND');
    store.clock.advanceMinutes(31);
    expect((await resolve({ action: 'reissue' })).code).toBe('CASE_EXPIRED');
    const refused = await store.db('audit_log').where({ action: 'recovery.resolve.refused' }).orderBy('seq');
    expect(refused.map((r: { details: string }) => JSON.parse(r.details).code)).toEqual(['MARKETPLACE_MISMATCH', 'CASE_NOT_FOUND', 'CASE_EXPIRED']);
    expect(refused[0]).toMatchObject({ actor: 'ava', subject_type: 'card', subject_id: emailCard.serial, ticket_id: 'T-500' });
    // No case to take a ticket from: under the ticket the resolution was asked under (the ticket view shows the attempt).
    expect(refused[1]).toMatchObject({ subject_type: 'recoveryCase', subject_id: '00000000-0000-4000-8000-000000000000', ticket_id: 'T-500' });
    expect((await store.db('cards').where({ serial: emailCard.serial }).first()).status).toBe('active');
    expect(await store.db('recovery_cases').whereNotNull('resolved_at')).toHaveLength(0);
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
    await expectLedgerBalanced(store);
  });

  test('6 processes resolving one case at once: exactly one replacement', { timeout: RACE_TIMEOUT_MS }, async ({ demoStore: store }) => {
    const check = await verified(store, physicalCard);
    const outcomes = await race(store, 6, 'resolveRecovery', (i) => ({
      actor: { id: 1, username: 'ava' },
      input: { caseId: check.caseId, ticketId: 'T-500', action: 'reissue' as const, idempotencyKey: `resolve-race-${i}-${Date.now()}` },
    }));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.code === 'CASE_ALREADY_RESOLVED')).toHaveLength(5);
    const old = await store.db('cards').where({ serial: physicalCard.serial }).first();
    expect(await store.db('cards').where({ replaces_card_id: old.id })).toHaveLength(1);
    expect(await store.db('card_deliveries')).toHaveLength(1);
  });

  test('property: no answer carries a stored value the caller did not type', async ({ demoStore: store }) => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ]{4,12}$/);
    const record = fc.record({
      order: fc.stringMatching(/^\d{3}-\d{7}-\d{7}$/),
      purchaser: fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
      recipient: fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
      email: fc.tuple(word, word).map(([a, b]) => `${a}.${b}@mail.example.com`.toLowerCase()),
    });
    // The caller either says part of the record ('' here) or something random.
    const guessed = fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 40 }));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(record, fc.record({ order: guessed, name: guessed }), async (r, guess) => {
        n += 1;
        const serial = `1799${String(n).padStart(15, '0')}`;
        await store.db('cards').insert({
          serial,
          marketplace: 'US',
          face_value_minor: 1000,
          status: 'active',
          claim_code_digest: `prop-${n}`,
          claim_code_last4: 'PROP',
          claim_code_cipher: store.vault.encrypt('ABCDEFGHJKLMNP', serial),
          delivery_channel: 'email',
          order_number: r.order,
          ordered_at: store.clock.now(),
          purchaser_name: r.purchaser,
          recipient_name: r.recipient,
          delivery_email: r.email,
          created_at: store.clock.now(),
        });
        const input: VerifyInput = {
          serial,
          orderNumber: guess.order || r.order.slice(0, 5),
          purchaserName: guess.name || r.purchaser.split(' ')[0]!,
          recipientName: guess.name || 'Somebody Else',
          deliveryAddress: 'someone@example.com',
          ticketId: 'T-PROP',
        };
        const answer = JSON.stringify(await verifyRecovery(store, ava, input));
        const typed = JSON.stringify(input).toLowerCase();
        for (const stored of [r.order, r.purchaser, r.recipient, r.email, ...r.purchaser.split(' '), ...r.recipient.split(' ')]) {
          if (!typed.includes(stored.toLowerCase())) expect(answer.toLowerCase()).not.toContain(stored.toLowerCase());
        }
      }),
      { numRuns: 25 },
    );
  });

  test('order number and delivery address answer only match or mismatch, never close', async ({ demoStore: store }) => {
    const order = emailCard.orderNumber.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
    const email = emailCard.deliveryAddress.replace(/^(.)(.)/, '$2$1');
    const result = await verifyRecovery(store, ava, facts(emailCard, { orderNumber: order, deliveryAddress: email }));
    expect(result.checks).toMatchObject({ orderNumber: 'mismatch', deliveryAddress: 'mismatch' });
  });

  test('a failed check never says whether the fragment fits: right and wrong fragments answer alike', async ({ demoStore: store }) => {
    const right = emailCard.claimCodeFragment;
    const wrong = right.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const attempt = async (claimCodeFragment: string) => {
      store.clock.advanceMinutes(25 * 60); // a fresh window each time, so the failure counts are alike too
      const answer = await verifyRecovery(store, ava, facts(emailCard, { orderNumber: '999-0000000-0000000', claimCodeFragment }));
      const audit = await store.db('audit_log').where({ action: 'recovery.verify' }).orderBy('seq', 'desc').first();
      const row = await store.db('recovery_cases').where({ id: answer.caseId }).first();
      const { caseId: _answerCase, ...answered } = answer;
      const { caseId: _auditCase, ...details } = JSON.parse(audit.details);
      return { answered, details, stored: typeof row.checks === 'string' ? JSON.parse(row.checks) : row.checks };
    };
    const withRight = await attempt(right);
    const withWrong = await attempt(wrong);
    expect(withRight.answered.checks.claimCodeFragment).toBe('notChecked');
    expect(withRight).toEqual(withWrong);
  });

  test('guessing the code a character at a time behind a wrong fact learns nothing', async ({ demoStore: store }) => {
    const code = parseClaimCode(emailCard.claimCode);
    if (!code.ok) throw new Error('demo code');
    const answers = new Set<string>();
    for (const guess of 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789') {
      const fragment = guess + '?'.repeat(code.code.length - 1);
      store.clock.advanceMinutes(25 * 60);
      const { caseId: _c, ...answer } = await verifyRecovery(store, ava, facts(emailCard, { recipientName: 'Somebody Else Entirely', claimCodeFragment: fragment }));
      answers.add(JSON.stringify(answer.checks) + answer.outcome + answer.attemptsRemaining);
    }
    expect(answers.size).toBe(1);
    expect([...answers][0]).toContain('"claimCodeFragment":"notChecked"');
  });

  test('with every other fact right, the fragment is checked', async ({ demoStore: store }) => {
    const wrong = emailCard.claimCodeFragment.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await verifyRecovery(store, ava, facts(emailCard, { claimCodeFragment: wrong }))).checks.claimCodeFragment).toBe('inconsistent');
    expect((await verifyRecovery(store, ava, facts(emailCard))).checks.claimCodeFragment).toBe('consistent');
  });

  test('a supervisor cannot unlock a card on which they ran failed checks; another can, and unlocks are counted', async ({ demoStore: store }) => {
    for (let i = 0; i < 3; i++) await verifyRecovery(store, sam, wrongOrder(emailCard));
    const self = await refusal(unlockRecovery(store, sam, { serial: emailCard.serial, reason: 'I am sure it is fine' }));
    expect(self.toBody()).toMatchObject({ code: 'FORBIDDEN', message: 'You ran checks on this card; another supervisor must unlock it.' });
    expect((await store.db('cards').where({ serial: emailCard.serial }).first()).recovery_locked_at).not.toBeNull();
    const refused = await store.db('audit_log').where({ action: 'recovery.unlock.refused' }).first();
    expect(refused).toMatchObject({ actor: 'sam', subject_type: 'card', subject_id: emailCard.serial });
    expect(JSON.parse(refused.details)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await lookupCard(store, ava, { serial: emailCard.serial })).recoveryUnlockCount).toBe(0);

    await unlockRecovery(store, sky, { serial: emailCard.serial, reason: 'Caller verified by phone callback' });
    expect((await lookupCard(store, ava, { serial: emailCard.serial })).recoveryUnlockCount).toBe(1);
    expect(await verifyAuditChain(store.db)).toMatchObject({ intact: true });
  });

  test("checks before the lock's window do not bar a supervisor from unlocking", async ({ demoStore: store }) => {
    await verifyRecovery(store, sam, wrongOrder(emailCard));
    store.clock.advanceMinutes(25 * 60);
    for (let i = 0; i < 3; i++) await verifyRecovery(store, ava, wrongOrder(emailCard));
    await unlockRecovery(store, sam, { serial: emailCard.serial, reason: 'Caller verified by phone callback' });
    store.clock.advanceMinutes(1);
    // After that unlock, sam's new failures bar him from the next one; sky's do not bar sam.
    await verifyRecovery(store, sam, wrongOrder(emailCard));
    for (let i = 0; i < 2; i++) await verifyRecovery(store, sky, wrongOrder(emailCard));
    expect((await refusal(unlockRecovery(store, sam, { serial: emailCard.serial, reason: 'again' }))).code).toBe('FORBIDDEN');
    expect((await refusal(unlockRecovery(store, sky, { serial: emailCard.serial, reason: 'again' }))).code).toBe('FORBIDDEN');
    expect((await lookupCard(store, ava, { serial: emailCard.serial })).recoveryUnlockCount).toBe(1);
  });

  test('only the user who verified a case resolves it, under the same ticket', async ({ demoStore: store }) => {
    const check = await verified(store);
    const other = await refusal(resolveRecovery(store, sam, { caseId: check.caseId, ticketId: 'T-500', action: 'reissue', idempotencyKey: newKey() }));
    expect(other.toBody()).toMatchObject({ code: 'FORBIDDEN', message: 'Only the person who verified this case can resolve it.' });
    const ticket = await refusal(resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-501', action: 'reissue', idempotencyKey: newKey() }));
    expect(ticket.toBody()).toMatchObject({ code: 'FORBIDDEN', message: 'This case was verified under ticket T-500; resolve it under that ticket.' });
    const refused = await store.db('audit_log').where({ action: 'recovery.resolve.refused' }).orderBy('seq');
    expect(refused.map((r: { actor: string; details: string }) => [r.actor, JSON.parse(r.details).code])).toEqual([
      ['sam', 'FORBIDDEN'],
      ['ava', 'FORBIDDEN'],
    ]);
    expect((await store.db('cards').where({ serial: emailCard.serial }).first()).status).toBe('active');
    const done = await resolveRecovery(store, ava, { caseId: check.caseId, ticketId: 'T-500', action: 'reissue', idempotencyKey: newKey() });
    expect(done.action).toBe('reissue');
  });
});
