/**
 * The start-up upgrade of stored claim codes to the bound format (codeSeal.ts), on a
 * real store of each engine: a store written by an older Giftdesk (unbound
 * ciphertexts) starts, every row is re-sealed with its serial, the codes read the same,
 * the upgrade is audited once, and afterwards a swapped or unbound ciphertext is refused.
 */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { startRuntime, type Runtime } from '../../electron/runtime';
import { verifyAuditChain } from '../../electron/services/audit';
import { CODES_BOUND_SETTING, RESEAL_PROGRESS_SETTING, resealUnboundCodes } from '../../electron/services/codeSeal';
import { generateDemoDataset } from '../../electron/services/demo';
import { getSetting } from '../../electron/services/settings';
import { BOUND_CIPHER_PREFIX, loadOrCreateKeyFile, parseConfiguredKey, type ClaimCodeVault } from '../../electron/services/vault';
import { TEST_SECRET_KEY } from '../support/engines';
import { forEachEngine, storeTest as test, type TestStore } from '../support/store';

const data = generateDemoDataset();
const codeOf = new Map(data.cards.map((c) => [c.serial, c.claimCode]));

/** What Giftdesk stored before the binding: base64(iv | tag | body), no associated data. */
function legacySeal(masterKey: Buffer, code: string): string {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'giftdesk/claim-code-encryption', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

const masterKeyOf = async (store: TestStore) =>
  store.engine === 'postgres' ? parseConfiguredKey(TEST_SECRET_KEY) : loadOrCreateKeyFile(store.dataDir);

/** Turns the demo store into one an older Giftdesk wrote: every ciphertext unbound, no upgrade on record. */
async function makeLegacy(store: TestStore): Promise<number> {
  const key = await masterKeyOf(store);
  const rows: { id: number; serial: string }[] = await store.db('cards').select('id', 'serial');
  await store.db.transaction(async (trx) => {
    for (const row of rows) {
      await trx('cards').where({ id: row.id }).update({ claim_code_cipher: legacySeal(key, codeOf.get(row.serial)!) });
    }
    await trx('settings').where({ key: CODES_BOUND_SETTING }).delete();
  });
  return rows.length;
}

async function restart(store: TestStore): Promise<Runtime> {
  await store.store.close();
  return startRuntime(store.config, { clock: store.clock });
}

async function cipherRows(rt: Runtime): Promise<{ serial: string; claim_code_cipher: string }[]> {
  return rt.db('cards').orderBy('id').select('serial', 'claim_code_cipher');
}

const resealAudits = async (rt: Runtime) => {
  const rows: { actor: string; details: unknown }[] = await rt.db('audit_log').where({ action: 'claimCodes.resealed' }).select('actor', 'details');
  return rows.map((r) => ({ actor: r.actor, details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details }));
};

const unreadable = expect.objectContaining({ code: 'CLAIM_CODE_UNREADABLE' });

async function withRuntime(rt: Runtime, fn: (rt: Runtime) => Promise<void>): Promise<void> {
  try {
    await fn(rt);
  } finally {
    await rt.close();
  }
}

forEachEngine(() => {
  test('a new store is bound from its first start, with nothing to audit', async ({ demoStore: store }) => {
    expect(await getSetting(store.db, CODES_BOUND_SETTING)).toMatchObject({ resealed: 0, unreadable: 0 });
    expect(await resealAudits(store)).toEqual([]);
    for (const row of await cipherRows(store)) {
      expect(row.claim_code_cipher.startsWith(BOUND_CIPHER_PREFIX)).toBe(true);
      expect(store.vault.decrypt(row.claim_code_cipher, row.serial)).toBe(codeOf.get(row.serial));
    }
  });

  test('an old store is re-sealed at start-up: codes read the same, bound to their card, audited once', async ({ demoStore: store }) => {
    const cards = await makeLegacy(store);
    expect(cards).toBe(data.cards.length);
    const [first, second] = await cipherRows(store);
    // Until the upgrade runs, an unbound ciphertext is refused, never read.
    expect(() => store.vault.decrypt(first!.claim_code_cipher, first!.serial)).toThrow(unreadable);

    await withRuntime(await restart(store), async (rt) => {
      expect(rt.codeSeal).toEqual({ resealed: cards, unreadable: 0 });
      for (const row of await cipherRows(rt)) {
        expect(row.claim_code_cipher.startsWith(BOUND_CIPHER_PREFIX)).toBe(true);
        expect(rt.vault.decrypt(row.claim_code_cipher, row.serial)).toBe(codeOf.get(row.serial));
      }
      expect(await resealAudits(rt)).toEqual([{ actor: 'system', details: { resealed: cards, unreadable: 0 } }]);
      expect(await getSetting(rt.db, RESEAL_PROGRESS_SETTING)).toBeUndefined();
      expect(await verifyAuditChain(rt.db)).toMatchObject({ intact: true });

      // Swapped after the upgrade: each refuses as the other card's.
      const a = await rt.db('cards').where({ serial: first!.serial }).first('claim_code_cipher');
      const b = await rt.db('cards').where({ serial: second!.serial }).first('claim_code_cipher');
      expect(() => rt.vault.decrypt(b.claim_code_cipher, first!.serial)).toThrow(unreadable);
      expect(() => rt.vault.decrypt(a.claim_code_cipher, second!.serial)).toThrow(unreadable);
      await rt.db('cards').where({ serial: first!.serial }).update({ claim_code_cipher: b.claim_code_cipher });
      // An unbound ciphertext written after the upgrade (from an old backup, say) stays refused.
      await rt.db('cards').where({ serial: second!.serial }).update({ claim_code_cipher: legacySeal(await masterKeyOf(store), codeOf.get(first!.serial)!) });
    });

    await withRuntime(await restart(store), async (rt) => {
      expect(rt.codeSeal).toBeNull();
      const [a, b] = await cipherRows(rt);
      expect(() => rt.vault.decrypt(a!.claim_code_cipher, a!.serial)).toThrow(unreadable);
      expect(b!.claim_code_cipher.startsWith(BOUND_CIPHER_PREFIX)).toBe(false);
      expect(() => rt.vault.decrypt(b!.claim_code_cipher, b!.serial)).toThrow(unreadable);
      expect(await resealAudits(rt)).toHaveLength(1);
    });
  });

  test('an interrupted upgrade keeps its finished batches and completes on the next start, audited once with the total', async ({ demoStore: store }) => {
    const cards = await makeLegacy(store);
    // A console that dies during the 4th batch of 7.
    let calls = 0;
    const dying: ClaimCodeVault = {
      ...store.vault,
      reseal: (cipher, serial) => {
        if (++calls > 3 * 7 + 2) throw new Error('power cut');
        return store.vault.reseal(cipher, serial);
      },
    };
    await expect(resealUnboundCodes({ ...store, vault: dying }, { batchSize: 7 })).rejects.toThrow('power cut');
    const bound = (await cipherRows(store)).filter((r) => r.claim_code_cipher.startsWith(BOUND_CIPHER_PREFIX));
    expect(bound).toHaveLength(21);
    expect(await getSetting(store.db, RESEAL_PROGRESS_SETTING)).toBe(21);
    expect(await resealAudits(store)).toEqual([]);

    // Run again (small batches), then the console's own start finds nothing more to do.
    expect(await resealUnboundCodes(store, { batchSize: 7 })).toEqual({ resealed: cards, unreadable: 0 });
    await withRuntime(await restart(store), async (rt) => {
      expect(rt.codeSeal).toBeNull();
      for (const row of await cipherRows(rt)) expect(rt.vault.decrypt(row.claim_code_cipher, row.serial)).toBe(codeOf.get(row.serial));
      expect(await resealAudits(rt)).toEqual([{ actor: 'system', details: { resealed: cards, unreadable: 0 } }]);
    });
  });

  test('an old row the key cannot open is left as it is, counted, and refused', async ({ demoStore: store }) => {
    const cards = await makeLegacy(store);
    const [damaged] = await cipherRows(store);
    await store.db('cards').where({ serial: damaged!.serial }).update({ claim_code_cipher: legacySeal(randomBytes(32), 'ABCDEFGHJKLMNP') });
    await withRuntime(await restart(store), async (rt) => {
      expect(rt.codeSeal).toEqual({ resealed: cards - 1, unreadable: 1 });
      const row = await rt.db('cards').where({ serial: damaged!.serial }).first('claim_code_cipher');
      expect(row.claim_code_cipher.startsWith(BOUND_CIPHER_PREFIX)).toBe(false);
      expect(() => rt.vault.decrypt(row.claim_code_cipher, damaged!.serial)).toThrow(unreadable);
      expect(await resealAudits(rt)).toEqual([{ actor: 'system', details: { resealed: cards - 1, unreadable: 1 } }]);
    });
  });
});
