/**
 * The Import screen's main-process side: the file comes from the desk's dialog (never
 * from the window), progress goes to the calling window, a cancel from that window
 * stops the import with nothing written, and without a desk (the team server) the
 * channel refuses in words.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { verifyAuditChain } from '../../electron/services/audit';
import { generateCards } from '../../electron/services/cardGenerate';
import { cancelDialogImport, IMPORT_NEEDS_SERVER_MACHINE, importFromDialog, setImportDesk } from '../../electron/ipc/cardImportDesk';
import type { ImportProgress } from '../../shared/cardImport';
import { AppError } from '../../shared/errors';
import { createWriteStream } from 'node:fs';
import { forEachEngine, storeTest as test } from '../support/store';

const ada = { id: 4, username: 'ada', role: 'admin' as const };

afterEach(() => setImportDesk(null));

forEachEngine(() => {
  test('without a desk (the team server) the import is refused in words', async ({ store }) => {
    const error = await importFromDialog(store, ada, 7, { skipInvalid: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: IMPORT_NEEDS_SERVER_MACHINE });
  });

  test('the dialog closed without a file: null, nothing imported', async ({ store }) => {
    setImportDesk({ chooseFile: async () => null, progress: () => undefined });
    expect(await importFromDialog(store, ada, 7, { skipInvalid: false })).toBeNull();
    expect(await store.db('card_import_batches')).toEqual([]);
  });

  test('the chosen file is imported with progress to the caller; a cancel from that window stops it with nothing written', async ({ store }) => {
    const file = path.join(store.dataDir, 'batch.csv');
    await generateCards(createWriteStream(file), { count: 20_000, seed: 3 });
    const pushed: { caller: unknown; progress: ImportProgress }[] = [];
    setImportDesk({
      chooseFile: async () => file,
      progress: (caller, progress) => {
        pushed.push({ caller, progress });
        if (progress.rowsRead >= 3000) expect(cancelDialogImport(7)).toEqual({ cancelled: true });
      },
    });
    const error = await importFromDialog(store, ada, 7, { skipInvalid: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMPORT_CANCELLED' });
    expect(pushed.length).toBeGreaterThan(0);
    expect(pushed.every((p) => p.caller === 7)).toBe(true);
    expect(Number((await store.db('cards').count({ n: '*' }).first())!.n)).toBe(0);
    expect((await verifyAuditChain(store.db)).intact).toBe(true);
    expect(cancelDialogImport(7)).toEqual({ cancelled: false }); // nothing running any more

    // With skip-invalid, a bad row goes to the rejects file beside the batch.
    const mixed = path.join(store.dataDir, 'mixed.csv');
    const header = 'serial,claim_code,marketplace,face_value,order_number,ordered_at,purchaser_name,recipient_name,delivery_channel,delivery_email,shipping_address';
    await writeFile(mixed, `${header}\n1700000000000000001,ABCDEFGHJKLMNP,US,5.00,O-1,2026-01-01,A B,C D,email,c@example.com,\n1700000000000000002,ABCDEFGHJKLMNQ,XX,5.00,O-2,2026-01-01,A B,C D,email,c@example.com,\n`);
    setImportDesk({ chooseFile: async () => mixed, progress: () => undefined });
    expect(await importFromDialog(store, ada, 7, { skipInvalid: true })).toMatchObject({ imported: 1, rejected: 1, rejectsFile: 'mixed.csv.rejects.csv' });
  });
});
