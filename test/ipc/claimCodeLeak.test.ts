/**
 * No channel answer, log line, audit entry, stored record or error message ever
 * carries a full claim code. Drives every channel through the real wrapper (success
 * and each failure), captures everything that leaves or is stored, and scans it for
 * every demo code in every written form.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { demoFixtures, generateDemoDataset } from '../../electron/services/demo';
import type { Channel } from '../../shared/contract';
import { canonicalClaimCode, formatClaimCode } from '../../shared/claimCode';
import { appWindow, wrapperOptions } from '../support/ipc';
import { newKey } from '../support/ledger';
import { createTestStore, engines, type TestStore } from '../support/store';

const f = demoFixtures();
const codes = generateDemoDataset().cards.map((c) => c.claimCode);
const forms = (code: string) => [code, code.toLowerCase(), formatClaimCode(code), formatClaimCode(code).toLowerCase()];

for (const engine of engines) {
  describe(engine, () => {
    let store: TestStore;
    const captured: string[] = [];
    beforeEach(async () => {
      store = await createTestStore({ engine, demo: true });
      captured.length = 0;
      for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
        vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
          captured.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '));
        });
      }
    });
    afterEach(async () => {
      vi.restoreAllMocks();
      await store.close();
    });

    test('nothing that leaves the main process or is stored holds a full claim code', async () => {
      const window = appWindow(wrapperOptions(store, { log: (channel, error) => console.error(channel, error) }));
      const call = async (channel: Channel, input: unknown) => {
        captured.push(JSON.stringify(await window(channel, input)));
      };
      await call('session:signIn', { username: 'ava', password: f.users.ava.password });
      const us = f.accounts.usCustomer.id;
      for (const card of Object.values(f.cards)) {
        await call('cards:lookup', { serial: card.serial });
        await call('cards:balance', { serial: card.serial });
      }
      const attempts = [
        f.cards.activeUS.claimCode, // success
        formatClaimCode(f.cards.activeUS.claimCode).toLowerCase(), // already redeemed, same account
        f.cards.redeemedUS.claimCode, // already redeemed elsewhere
        f.cards.voidUK.claimCode, // void
        f.cards.activeJP.claimCode, // marketplace mismatch
        f.cards.damagedEmailUS.claimCode.slice(0, -1) + (f.cards.damagedEmailUS.claimCode.endsWith('Z') ? 'Y' : 'Z'), // not found
        f.cards.damagedPhysicalCA.claimCode + '!!', // invalid
      ];
      for (const claimCode of attempts) {
        await call('cards:redeem', { claimCode, accountId: us, ticketId: 'T-LEAK', idempotencyKey: newKey() });
      }
      const key = newKey();
      await call('cards:redeem', { claimCode: f.cards.damagedEmailUS.claimCode, accountId: us, ticketId: 'T-LEAK', idempotencyKey: key });
      await call('cards:redeem', { claimCode: f.cards.damagedEmailUS.claimCode, accountId: us, ticketId: 'T-LEAK', idempotencyKey: key });
      await call('cards:redeem', { claimCode: f.cards.damagedPhysicalCA.claimCode, accountId: us, ticketId: 'T-LEAK', idempotencyKey: key });
      await call('cards:redeem', { claimCode: f.cards.damagedPhysicalCA.claimCode, accountId: 'ACC-NOPE', ticketId: 'T-LEAK', idempotencyKey: newKey() });
      await call('accounts:get', { accountId: us });
      await call('accounts:search', { query: f.accounts.usCustomer.email });

      // Recovery: a check with the legible fragment, then a reissue that creates a new code.
      const physical = f.cards.damagedPhysicalCA;
      const verified = await window('recovery:verify', {
        serial: physical.serial,
        orderNumber: physical.orderNumber,
        purchaserName: physical.purchaserName,
        recipientName: physical.recipientName,
        deliveryAddress: physical.deliveryAddress,
        claimCodeFragment: physical.claimCodeFragment,
        ticketId: 'T-LEAK',
      });
      captured.push(JSON.stringify(verified));
      expect(verified.ok && verified.data.outcome).toBe('verified');
      await call('recovery:resolve', { caseId: verified.ok ? verified.data.caseId : '', ticketId: 'T-LEAK', action: 'reissue', idempotencyKey: newKey() });
      const replacement = await store.db('cards').where({ replaces_card_id: store.db('cards').where({ serial: physical.serial }).select('id') }).first();
      const newCode = store.vault.decrypt(replacement.claim_code_cipher, replacement.serial);

      // Everything stored.
      for (const table of [
        'audit_log',
        'card_events',
        'ledger_entries',
        'idempotency_keys',
        'redemption_failures',
        'recovery_cases',
        'card_deliveries',
        'settings',
        'accounts',
        'users',
      ]) {
        captured.push(JSON.stringify(await store.db(table).select()));
      }
      const cards = await store.db('cards').select('serial', 'claim_code_last4', 'claim_code_digest', 'claim_code_cipher');
      captured.push(JSON.stringify(cards));

      const everything = captured.join('\n');
      expect(everything).toContain('CARD_ALREADY_REDEEMED'); // the scenario really ran
      expect(everything).toContain('"action":"reissue"');
      // The legible fragment the caller typed is not kept either.
      expect(everything).not.toContain(physical.claimCodeFragment);
      expect(everything).toContain(f.cards.activeUS.claimCode.slice(-4)); // last 4 are fine
      // Every demo code, and every code typed in this scenario (found or not), in every form.
      const secrets = [...new Set([newCode, ...codes, ...attempts.map(canonicalClaimCode).filter((c) => /^[A-Z0-9]{14,15}$/.test(c))])];
      const leaks = secrets.flatMap((code) => forms(code).filter((form) => everything.includes(form)).map(() => code));
      expect(leaks).toEqual([]);
    });
  });
}
