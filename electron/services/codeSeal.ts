/**
 * The one-time upgrade of stored claim-code ciphertexts to the bound format (see
 * vault.ts): at start-up, right after the key is loaded and checked, every card whose
 * ciphertext is still unbound is re-sealed with its serial as associated data.
 *
 * In batches, each batch one write transaction that also adds its count to a progress
 * setting, so an interrupted upgrade resumes where it stopped and counts every row once.
 * The transaction that finds nothing left appends the single audit entry (system, with
 * the count) and records the upgrade as done; from then on start-up does nothing here,
 * and an unbound ciphertext (an old backup's, say, written into a row) is refused on
 * decrypt instead of being re-sealed for whatever card it sits in. A fresh store is
 * marked done on its first start, with nothing to audit.
 */
import { isAppError } from '../../shared/errors';
import { writeTransaction } from '../db/transaction';
import { toInt } from '../db/values';
import { appendAudit } from './audit';
import type { ServiceDeps } from './context';
import { getSetting, putSetting } from './settings';
import { BOUND_CIPHER_PREFIX } from './vault';

/** Present once every ciphertext is bound: `{ at, resealed, unreadable }`. */
export const CODES_BOUND_SETTING = 'claimCodes.boundAt';
/** Rows re-sealed so far by an upgrade not yet finished (survives an interruption). */
export const RESEAL_PROGRESS_SETTING = 'claimCodes.resealProgress';

export const RESEAL_BATCH = 500;

export interface ResealReport {
  /** Rows re-sealed by the upgrade, over every start it took (0 when nothing was unbound). */
  resealed: number;
  /** Unbound rows this start could not open with the store's key: left as they are, refused on decrypt. */
  unreadable: number;
}

/** Re-seals every unbound ciphertext; null when the upgrade was already done (by this or another console). */
export async function resealUnboundCodes(deps: ServiceDeps, options: { batchSize?: number } = {}): Promise<ResealReport | null> {
  if ((await getSetting(deps.db, CODES_BOUND_SETTING)) !== undefined) return null;
  const batchSize = options.batchSize ?? RESEAL_BATCH;
  let lastId = 0;
  let unreadable = 0;
  for (;;) {
    const batch = await writeTransaction(deps.db, async (trx) => {
      if ((await getSetting(trx, CODES_BOUND_SETTING)) !== undefined) return null;
      const rows: { id: unknown; serial: string; claim_code_cipher: string }[] = await trx('cards')
        .where('id', '>', lastId)
        .whereNot('claim_code_cipher', 'like', `${BOUND_CIPHER_PREFIX}%`)
        .orderBy('id')
        .limit(batchSize)
        .select('id', 'serial', 'claim_code_cipher');
      let resealed = 0;
      let skipped = 0;
      for (const row of rows) {
        let sealed: string;
        try {
          sealed = deps.vault.reseal(row.claim_code_cipher, row.serial);
        } catch (error) {
          if (!isAppError(error) || error.code !== 'CLAIM_CODE_UNREADABLE') throw error;
          skipped += 1;
          continue;
        }
        await trx('cards').where({ id: row.id }).update({ claim_code_cipher: sealed });
        resealed += 1;
      }
      if (resealed > 0) {
        const before = Number((await getSetting(trx, RESEAL_PROGRESS_SETTING)) ?? 0);
        await putSetting(trx, RESEAL_PROGRESS_SETTING, before + resealed, deps.clock.now());
      }
      return { lastId: rows.length > 0 ? toInt(rows[rows.length - 1]!.id) : null, skipped };
    });
    if (batch === null) return null;
    unreadable += batch.skipped;
    if (batch.lastId === null) break;
    lastId = batch.lastId;
  }
  return writeTransaction(deps.db, async (trx): Promise<ResealReport | null> => {
    if ((await getSetting(trx, CODES_BOUND_SETTING)) !== undefined) return null;
    const resealed = Number((await getSetting(trx, RESEAL_PROGRESS_SETTING)) ?? 0);
    const now = deps.clock.now();
    if (resealed > 0 || unreadable > 0) {
      await appendAudit(trx, deps.clock, {
        actor: 'system',
        action: 'claimCodes.resealed',
        details: { resealed, unreadable },
      });
    }
    await putSetting(trx, CODES_BOUND_SETTING, { at: now.toISOString(), resealed, unreadable }, now);
    await trx('settings').where({ key: RESEAL_PROGRESS_SETTING }).delete();
    return { resealed, unreadable };
  });
}
