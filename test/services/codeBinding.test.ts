/**
 * Claim-code ciphertexts are bound to their card (the serial is AES-GCM associated
 * data): someone with write access to the database who swaps two rows' ciphertexts
 * must not make the console read one card's code as another's.
 */
import { expect } from 'vitest';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import { verifyRecovery, type VerifyInput } from '../../electron/services/recovery';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const f = demoFixtures();
const data = generateDemoDataset();
const ava = { id: 1, username: 'ava', role: 'agent' as const };
const target = f.cards.damagedEmailUS;
const other = data.cards.find((c) => c.status === 'active' && c.serial !== target.serial && c.claimCode.length === 14);
if (!other) throw new Error('the demo dataset has no second active card');

/** A fragment that fits `code` only (five characters unreadable). */
const fragmentOf = (code: string) => code.replace(/^(.{4}).{5}/, '$1?????');

const facts = (fragment: string): VerifyInput => ({
  serial: target.serial,
  orderNumber: target.orderNumber,
  purchaserName: target.purchaserName,
  recipientName: target.recipientName,
  deliveryAddress: target.deliveryAddress,
  claimCodeFragment: fragment,
  ticketId: 'T-900',
});

async function swapCiphers(store: TestStore, a: string, b: string): Promise<void> {
  const rows: { serial: string; claim_code_cipher: string }[] = await store.db('cards').whereIn('serial', [a, b]).select('serial', 'claim_code_cipher');
  const cipherOf = new Map(rows.map((r) => [r.serial, r.claim_code_cipher]));
  await store.db('cards').where({ serial: a }).update({ claim_code_cipher: cipherOf.get(b) });
  await store.db('cards').where({ serial: b }).update({ claim_code_cipher: cipherOf.get(a) });
}

forEachEngine(() => {
  test('a ciphertext swapped in from another card is refused, never read as this card\'s code', async ({ demoStore: store }) => {
    // Before the swap the target's own fragment fits and the other card's does not.
    expect((await verifyRecovery(store, ava, facts(target.claimCodeFragment))).checks.claimCodeFragment).toBe('consistent');
    expect((await verifyRecovery(store, ava, facts(fragmentOf(other.claimCode)))).checks.claimCodeFragment).toBe('inconsistent');

    await swapCiphers(store, target.serial, other.serial);
    const before = await store.db('recovery_cases').count({ n: '*' }).first();
    await expect(verifyRecovery(store, ava, facts(fragmentOf(other.claimCode)))).rejects.toMatchObject({ code: 'CLAIM_CODE_UNREADABLE' });
    await expect(verifyRecovery(store, ava, facts(target.claimCodeFragment))).rejects.toMatchObject({ code: 'CLAIM_CODE_UNREADABLE' });
    // Refused on the record, without opening a case or counting a failure.
    expect(await store.db('recovery_cases').count({ n: '*' }).first()).toEqual(before);
    const refused = await store.db('audit_log').where({ action: 'recovery.verify.refused', subject_id: target.serial });
    expect(refused).toHaveLength(2);
    expect(JSON.stringify(refused)).not.toContain(other.claimCode);
  });
});
