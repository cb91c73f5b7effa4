import { expect } from 'vitest';
import type { Actor } from '../../electron/services/context';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import { setGeneralLimit } from '../../electron/services/limits';
import { revealPersonalData, type RevealInput } from '../../electron/services/personalData';
import { updateUser } from '../../electron/services/users';
import { currentStanding } from '../../electron/services/auth';
import type { RevealField } from '../../shared/personalData';
import { race, RACE_TIMEOUT_MS } from '../support/race';
import type { TestStore } from '../support/store';
import { forEachEngine, storeTest as test } from '../support/store';

const f = demoFixtures();
const data = generateDemoDataset();
const emailCard = f.cards.damagedEmailUS;
const postCard = f.cards.damagedPhysicalCA;
const account = f.accounts.usCustomer;
const ADMIN = { username: 'ada' };

async function actor(store: TestStore, username: string): Promise<Actor> {
  const row: { id: number; role: Actor['role'] } = await store.db('users').where({ username }).first('id', 'role');
  return { id: Number(row.id), username, role: row.role };
}

const ask = (over: Partial<RevealInput> = {}): RevealInput => ({
  subjectType: 'card',
  subjectId: emailCard.serial,
  field: 'purchaserName',
  reason: 'caller disputes the purchase',
  ticketId: 'T-REVEAL-1',
  ...over,
});

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as { code: string; message: string; details?: Record<string, unknown> },
  );
}

async function auditRows(store: TestStore, action: string) {
  return store.db('audit_log').where({ action }).orderBy('seq').select('actor', 'subject_type', 'subject_id', 'ticket_id', 'details');
}

forEachEngine(() => {
  test('a supervisor reveals each card field that applies, and each account field, in full', async ({ demoStore }) => {
    const sam = await actor(demoStore, 'sam');
    const card = data.cards.find((c) => c.serial === emailCard.serial)!;
    const post = data.cards.find((c) => c.serial === postCard.serial)!;
    const expected: [RevealInput, string][] = [
      [ask({ field: 'purchaserName' }), emailCard.purchaserName],
      [ask({ field: 'recipientName' }), emailCard.recipientName],
      [ask({ field: 'deliveryEmail' }), emailCard.deliveryAddress],
      [ask({ subjectId: postCard.serial, field: 'shippingAddress' }), postCard.deliveryAddress],
      [ask({ subjectId: postCard.serial, field: 'purchaserName' }), post.purchaserName],
      [ask({ subjectType: 'account', subjectId: account.id, field: 'accountEmail' }), account.email],
      [ask({ subjectType: 'account', subjectId: account.id, field: 'accountName' }), account.displayName],
    ];
    expect(card.purchaserName).toBe(emailCard.purchaserName);
    for (const [input, value] of expected) {
      const revealed = await revealPersonalData(demoStore, sam, input);
      expect(revealed, `${input.subjectType} ${input.field}`).toMatchObject({ field: input.field, subjectType: input.subjectType, value, visibleForSeconds: 60 });
    }
    // A serial typed with spaces is the card's canonical serial in the answer and on record.
    const spaced = emailCard.serial.replace(/(\d{4})/g, '$1 ');
    expect(await revealPersonalData(demoStore, sam, ask({ subjectId: spaced }))).toMatchObject({ subjectId: emailCard.serial, revealsLeftToday: 20 - 8 });
  });

  test('every reveal is on record with actor, subject, ticket, field and reason, and never the value', async ({ demoStore }) => {
    const sam = await actor(demoStore, 'sam');
    await revealPersonalData(demoStore, sam, ask({ ticketId: 'T-77' }));
    await revealPersonalData(demoStore, sam, ask({ subjectType: 'account', subjectId: account.id, field: 'accountEmail', reason: 'chargeback dispute review' }));
    const rows = await auditRows(demoStore, 'pii.revealed');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ actor: 'sam', subject_type: 'card', subject_id: emailCard.serial, ticket_id: 'T-77' });
    expect(JSON.parse(rows[0]!.details)).toEqual({ field: 'purchaserName', reason: 'caller disputes the purchase' });
    expect(rows[1]).toMatchObject({ actor: 'sam', subject_type: 'account', subject_id: account.id, ticket_id: 'T-REVEAL-1' });
    expect(JSON.parse(rows[1]!.details)).toEqual({ field: 'accountEmail', reason: 'chargeback dispute review' });
    const everything = JSON.stringify(await demoStore.db('audit_log').select('*')).toLowerCase();
    expect(everything).not.toContain(emailCard.purchaserName.toLowerCase());
    expect(everything).not.toContain(account.email.toLowerCase());
  });

  test('permission by role: supervisors may, agents are refused (on record, nothing revealed), admins never', async ({ demoStore }) => {
    const sam = await actor(demoStore, 'sam');
    const ava = await actor(demoStore, 'ava');
    const ada = await actor(demoStore, 'ada');
    expect((await revealPersonalData(demoStore, sam, ask())).value).toBe(emailCard.purchaserName);
    for (const who of [ava, ada]) {
      const refused = await refusal(revealPersonalData(demoStore, who, ask()));
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.message).toMatch(/reveal permission/);
      expect(JSON.stringify(refused)).not.toContain(emailCard.purchaserName);
    }
    // Refused before anything else: someone without the permission learns nothing of the subject.
    expect((await refusal(revealPersonalData(demoStore, ava, ask({ subjectId: '1700000000000000000' })))).code).toBe('FORBIDDEN');
    const refusals = await auditRows(demoStore, 'pii.reveal.refused');
    expect(refusals.map((r) => r.actor)).toEqual(['ava', 'ada', 'ava']);
    // What was asked for is on record, for oversight.
    expect(refusals.map((r) => r.subject_id)).toEqual([emailCard.serial, emailCard.serial, '1700000000000000000']);
    expect(JSON.parse(refusals[0]!.details)).toMatchObject({ field: 'purchaserName', why: 'no permission', code: 'FORBIDDEN' });
    expect(await demoStore.db('pii_reveals').count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
    expect(Number((await demoStore.db('pii_reveals').count({ n: '*' }).first())?.n)).toBe(1);
    expect(await currentStanding(demoStore, sam.id)).toMatchObject({ canReveal: true });
    expect(await currentStanding(demoStore, ava.id)).toMatchObject({ canReveal: false });
    expect(await currentStanding(demoStore, ada.id)).toMatchObject({ canReveal: false });
  });

  test('an admin grants an agent the permission and withdraws it again; withdrawing from a supervisor holds', async ({ demoStore }) => {
    const ava = await actor(demoStore, 'ava');
    const sam = await actor(demoStore, 'sam');
    expect(await updateUser(demoStore, ADMIN, { username: 'ava', revealPermission: 'granted' })).toMatchObject({ revealPermission: 'granted', canReveal: true });
    expect((await revealPersonalData(demoStore, ava, ask())).value).toBe(emailCard.purchaserName);
    expect(await updateUser(demoStore, ADMIN, { username: 'ava', revealPermission: 'roleDefault' })).toMatchObject({ revealPermission: 'roleDefault', canReveal: false });
    expect((await refusal(revealPersonalData(demoStore, ava, ask()))).code).toBe('FORBIDDEN');

    expect(await updateUser(demoStore, ADMIN, { username: 'sam', revealPermission: 'withdrawn' })).toMatchObject({ canReveal: false });
    expect((await refusal(revealPersonalData(demoStore, sam, ask()))).code).toBe('FORBIDDEN');
    expect(await currentStanding(demoStore, sam.id)).toMatchObject({ canReveal: false });
    const changes = (await auditRows(demoStore, 'user.updated')).map((r) => JSON.parse(r.details));
    expect(changes).toEqual([
      { revealPermission: { from: 'roleDefault', to: 'granted' } },
      { revealPermission: { from: 'granted', to: 'roleDefault' } },
      { revealPermission: { from: 'roleDefault', to: 'withdrawn' } },
    ]);
  });

  test('a role change puts the permission back to the new role default; an admin cannot be granted it', async ({ demoStore }) => {
    await updateUser(demoStore, ADMIN, { username: 'ava', revealPermission: 'granted' });
    expect(await updateUser(demoStore, ADMIN, { username: 'ava', role: 'supervisor' })).toMatchObject({ revealPermission: 'roleDefault', canReveal: true });
    expect(await updateUser(demoStore, ADMIN, { username: 'ava', role: 'agent' })).toMatchObject({ revealPermission: 'roleDefault', canReveal: false });
    // Both in one change: the permission asked for holds.
    expect(await updateUser(demoStore, ADMIN, { username: 'sky', role: 'agent', revealPermission: 'granted' })).toMatchObject({ role: 'agent', canReveal: true });
    const refused = await refusal(updateUser(demoStore, ADMIN, { username: 'ada', revealPermission: 'granted' }));
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });
    expect(refused.message).toMatch(/admins do not work cards/);
    expect(await demoStore.db('users').where({ username: 'ada' }).first('can_reveal_pii')).toMatchObject({ can_reveal_pii: null });
  });

  test('a field that does not apply is refused in words and reveals nothing', async ({ demoStore }) => {
    const sam = await actor(demoStore, 'sam');
    const cases: [RevealInput, string, RegExp][] = [
      [ask({ field: 'shippingAddress' }), 'FIELD_NOT_APPLICABLE', /sent by e-mail: it has a delivery e-mail, not a shipping address/],
      [ask({ subjectId: postCard.serial, field: 'deliveryEmail' }), 'FIELD_NOT_APPLICABLE', /sent by post: it has a shipping address, not a delivery e-mail/],
      [ask({ field: 'accountEmail' }), 'FIELD_NOT_APPLICABLE', /A card has no account e-mail: reveal it on the account/],
      ...(['purchaserName', 'recipientName', 'deliveryEmail', 'shippingAddress'] as RevealField[]).map(
        (field): [RevealInput, string, RegExp] => [ask({ subjectType: 'account', subjectId: account.id, field }), 'FIELD_NOT_APPLICABLE', /An account has no .*: reveal it on the card/],
      ),
    ];
    for (const [input, code, message] of cases) {
      const refused = await refusal(revealPersonalData(demoStore, sam, input));
      expect(refused.code, input.field).toBe(code);
      expect(refused.message).toMatch(message);
    }
    expect(Number((await demoStore.db('pii_reveals').count({ n: '*' }).first())?.n)).toBe(0);
    expect(await auditRows(demoStore, 'pii.revealed')).toEqual([]);
    expect(await auditRows(demoStore, 'pii.reveal.refused')).toHaveLength(cases.length);
  });

  test('an unknown or malformed subject is refused in words, on record', async ({ demoStore }) => {
    const sam = await actor(demoStore, 'sam');
    const unknownSerial = '1799999999999999999';
    expect(await refusal(revealPersonalData(demoStore, sam, ask({ subjectId: unknownSerial })))).toMatchObject({ code: 'CARD_NOT_FOUND', message: 'No card has the serial 1799 9999 9999 9999 999.' });
    expect(await refusal(revealPersonalData(demoStore, sam, ask({ subjectId: '12-34' })))).toMatchObject({ code: 'SERIAL_INVALID' });
    expect(await refusal(revealPersonalData(demoStore, sam, ask({ subjectType: 'account', subjectId: 'ACC-XX-0000', field: 'accountName' })))).toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
      message: 'There is no account ACC-XX-0000.',
    });
    const refusals = await auditRows(demoStore, 'pii.reveal.refused');
    expect(refusals.map((r) => JSON.parse(r.details).why)).toEqual(['no such card', 'serial invalid', 'no such account']);
    expect(refusals[0]).toMatchObject({ subject_id: unknownSerial, ticket_id: 'T-REVEAL-1' });
  });

  test('the 21st reveal of the day is refused with the cap and when it resets; the next UTC day counts afresh', async ({ demoStore }) => {
    const sam = await actor(demoStore, 'sam');
    const sky = await actor(demoStore, 'sky');
    // 09:00 UTC (the test clock's start): the day ends in 15 hours.
    for (let i = 0; i < 20; i++) expect((await revealPersonalData(demoStore, sam, ask({ ticketId: `T-${i}` }))).revealsLeftToday).toBe(19 - i);
    const refused = await refusal(revealPersonalData(demoStore, sam, ask()));
    expect(refused).toMatchObject({ code: 'REVEAL_LIMIT_REACHED', details: { limit: 20, resetsAt: '2026-11-23T00:00:00.000Z' } });
    expect(refused.message).toContain('20 times today');
    expect(refused.message).toContain('midnight UTC (2026-11-23T00:00:00.000Z)');
    expect(JSON.stringify(refused)).not.toContain(emailCard.purchaserName);
    expect(JSON.parse((await auditRows(demoStore, 'pii.reveal.refused'))[0]!.details)).toMatchObject({ why: 'daily limit', code: 'REVEAL_LIMIT_REACHED' });
    // Another supervisor's count is their own.
    expect((await revealPersonalData(demoStore, sky, ask())).value).toBe(emailCard.purchaserName);
    // Just before midnight still refused; at midnight UTC the count starts again.
    demoStore.clock.advanceMinutes(15 * 60 - 1);
    expect((await refusal(revealPersonalData(demoStore, sam, ask()))).code).toBe('REVEAL_LIMIT_REACHED');
    demoStore.clock.advanceMinutes(1);
    expect((await revealPersonalData(demoStore, sam, ask())).revealsLeftToday).toBe(19);
  });

  test('the cap is a general limit an admin can change', async ({ demoStore }) => {
    const sam = await actor(demoStore, 'sam');
    expect(await setGeneralLimit(demoStore, ADMIN, { name: 'revealsPerDay', value: 2 })).toMatchObject({ changed: true, message: 'Personal-data reveals per day: 2 reveals (was 20 reveals).' });
    await revealPersonalData(demoStore, sam, ask());
    await revealPersonalData(demoStore, sam, ask());
    const refused = await refusal(revealPersonalData(demoStore, sam, ask()));
    expect(refused).toMatchObject({ code: 'REVEAL_LIMIT_REACHED', details: { limit: 2 } });
    expect(refused.message).toContain('2 times today');
    expect((await refusal(setGeneralLimit(demoStore, ADMIN, { name: 'revealsPerDay', value: 0 }))).message).toBe('Personal-data reveals per day must be 1 to 500 reveals.');
  });

  test('concurrent reveals never pass the cap together', async ({ demoStore }) => {
    const sam = await actor(demoStore, 'sam');
    await setGeneralLimit(demoStore, ADMIN, { name: 'revealsPerDay', value: 5 });
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => revealPersonalData(demoStore, sam, ask({ ticketId: `T-RACE-${i}` }))));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected.map((o) => (o.reason as { code: string }).code)).toEqual(Array(7).fill('REVEAL_LIMIT_REACHED'));
    expect(await auditRows(demoStore, 'pii.revealed')).toHaveLength(5);
    expect(Number((await demoStore.db('pii_reveals').count({ n: '*' }).first())?.n)).toBe(5);
  });

  test('8 processes revealing at once under a cap of 3: exactly 3 reveal, the rest are refused with the cap', { timeout: RACE_TIMEOUT_MS }, async ({ demoStore }) => {
    const sam = await actor(demoStore, 'sam');
    await setGeneralLimit(demoStore, ADMIN, { name: 'revealsPerDay', value: 3 });
    const outcomes = await race(demoStore, 8, 'reveal', (i) => ({ actor: sam, input: ask({ ticketId: `T-PROC-${i}` }) }));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok && o.code === 'REVEAL_LIMIT_REACHED')).toHaveLength(5);
    expect(await auditRows(demoStore, 'pii.revealed')).toHaveLength(3);
    expect(Number((await demoStore.db('pii_reveals').count({ n: '*' }).first())?.n)).toBe(3);
  });
});
