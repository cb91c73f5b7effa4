/**
 * `giftdesk cards import` and `cards generate` through runCli, on both engines: the
 * summary line, the problems and exit 1 for a bad file (nothing written), the rejects
 * file beside the input, an interrupt part way (nothing written), the team console's
 * refusal. The kill -9 test of the built CLI is in cardImportKill.test.ts.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CliIo } from '../../electron/cli';
import { verifyAuditChain } from '../../electron/services/audit';
import { generateCardRows } from '../../electron/services/cardGenerate';
import { lookupCard } from '../../electron/services/cards';
import { cliStore, type CliStore } from '../support/cliStore';
import { engines } from '../support/store';

async function cardCount(withStore: CliStore['withStore']): Promise<number> {
  return withStore(async (rt) => Number((await rt.db('cards').count({ n: '*' }).first())!.n));
}

const HEADER = 'serial,claim_code,marketplace,face_value,order_number,ordered_at,purchaser_name,recipient_name,delivery_channel,delivery_email,shipping_address';
const good = (n: number) =>
  `17000000000000${String(n).padStart(5, '0')},ABCDEFGHJK${String(n).padStart(4, '0').replace(/0/g, 'Q').replace(/1/g, 'R')},US,25.00,ORD-${n},2026-03-14,José García,Zoë Núñez,email,zoe@example.com,`;

for (const engine of engines) {
  describe(engine, () => {
    const cli = cliStore(engine, 'import');
    const { withStore } = cli;
    const run = (args: string[], io: Partial<CliIo> = {}, onStderr?: (all: string) => void) => cli.run(args, { io, ...(onStderr ? { onStderr } : {}) });

    test('generate writes a seeded file; import brings it in with a summary; an agent finds a card; again changes nothing', async () => {
      const file = path.join(cli.root, 'batch.csv');
      const generated = await run(['cards', 'generate', '--count', '2500', '--out', file, '--seed', 'winter']);
      expect(generated).toMatchObject({ code: 0, err: '', out: expect.stringMatching(/^Wrote 2500 cards to .*batch\.csv \(seed winter\) in [\d.]+ s\.\n$/) });
      expect(await run(['cards', 'generate', '--count', '5', '--out', file])).toMatchObject({ code: 2, err: expect.stringContaining('already exists') });

      const first = await run(['cards', 'import', file]);
      expect(first.code).toBe(0);
      expect(first.out).toMatch(
        /^Imported 2500 cards from batch\.csv: 0 already present, 0 rejected; 2500 rows in [\d.]+ s \(\d+ rows\/s\)\. Batch 1, sha256 [0-9a-f]{64}\.\n$/,
      );
      expect(first.err).toBe(''); // no terminal: no bar; fewer rows than a progress line
      const again = await run(['cards', 'import', file]);
      expect(again).toMatchObject({ code: 0, out: expect.stringMatching(/^Imported 0 cards from batch\.csv: 2500 already present, 0 rejected;/) });

      const pick = [...generateCardRows(2500, (await import('../../electron/services/cardGenerate')).seedOf('winter'))][2024]!;
      await withStore(async (rt) => {
        expect(await lookupCard(rt, { id: 1, username: 'ava', role: 'agent' }, { serial: pick.serial })).toMatchObject({ serial: pick.serial });
        const audit = await rt.db('audit_log').where({ action: 'cards.imported' }).orderBy('seq');
        expect(audit.map((a) => a.actor)).toEqual(['cli:tester', 'cli:tester']);
        expect(await rt.db('card_import_batches').orderBy('id').select('outcome', 'rows_imported', 'rows_skipped')).toEqual([
          { outcome: 'imported', rows_imported: 2500, rows_skipped: 0 },
          { outcome: 'imported', rows_imported: 0, rows_skipped: 2500 },
        ]);
      });
    });

    test('a bad file: exit 1, each problem with its line and column, nothing imported', async () => {
      const file = path.join(cli.root, 'bad.csv');
      await writeFile(file, `\ufeff${HEADER}\r\n${good(1)}\r\n${good(2).replace(',US,', ',FR,')}\r\n${good(3).replace('25.00', '25.001')}\r\n`);
      const result = await run(['cards', 'import', file]);
      expect(result.code).toBe(1);
      expect(result.out).toBe('');
      expect(result.err).toBe(
        'giftdesk: 2 rows of bad.csv were refused; nothing was imported.\n' +
          '  line 3, marketplace: The marketplace is one of US, CA, UK, DE, JP, IN.\n' +
          '  line 4, face_value: USD amounts have at most 2 decimal places. (The face value is in USD, the currency of US.)\n' +
          'Correct the file and import it again, or import the valid rows with --skip-invalid.\n',
      );
      expect(await cardCount(withStore)).toBe(0);
      expect(existsSync(`${file}.rejects.csv`)).toBe(false);
      await withStore(async (rt) => {
        expect((await verifyAuditChain(rt.db)).intact).toBe(true);
        expect(await rt.db('card_import_batches').select('outcome', 'rows_read', 'rows_rejected')).toEqual([{ outcome: 'refused', rows_read: 3, rows_rejected: 2 }]);
      });
    });

    test('--skip-invalid imports the rest and writes the rejects beside the input (or where --rejects says)', async () => {
      const file = path.join(cli.root, 'mixed.csv');
      await writeFile(file, `${HEADER}\n${good(1)}\n${good(2).replace(',email,', ',fax,')}\n${good(3)}\n`);
      const result = await run(['cards', 'import', file, '--skip-invalid']);
      expect(result.code).toBe(0);
      expect(result.out).toContain('Imported 2 cards from mixed.csv: 0 already present, 1 rejected;');
      expect(result.out).toContain(`Rejected rows, with the reason for each: ${file}.rejects.csv\n`);
      expect(await readFile(`${file}.rejects.csv`, 'utf8')).toBe(
        `${HEADER},reason\n${good(2).replace(',email,', ',fax,')},"line 3, delivery_channel: The delivery channel is email or physical."\n`,
      );
      const elsewhere = path.join(cli.root, 'elsewhere.csv');
      const clean = path.join(cli.root, 'clean.csv');
      await writeFile(clean, `${HEADER}\n${good(9)}\n`);
      expect(await run(['cards', 'import', clean, '--skip-invalid', '--rejects', elsewhere])).toMatchObject({ code: 0 });
      expect(existsSync(elsewhere)).toBe(false); // nothing rejected: no rejects file
      expect(await run(['cards', 'import', clean, '--rejects', elsewhere])).toMatchObject({ code: 2, err: expect.stringContaining('--rejects goes with --skip-invalid') });
      expect(await run(['cards', 'import', path.join(cli.root, 'missing.csv')])).toMatchObject({ code: 2, err: expect.stringContaining('is not a file that can be read') });
      expect(await cardCount(withStore)).toBe(3);
    });

    test('an interrupt (Ctrl-C) part way: exit 1, "nothing was imported", the store as before', async () => {
      const file = path.join(cli.root, 'big.csv');
      expect((await run(['cards', 'generate', '--count', '30000', '--out', file, '--seed', '7'])).code).toBe(0);
      const interrupt = new AbortController();
      const result = await run(['cards', 'import', file], { interrupt: interrupt.signal }, (err) => {
        if (err.includes('rows read')) interrupt.abort();
      });
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/giftdesk: The import was cancelled at line \d+; nothing was imported and the store is as it was\.\n$/);
      expect(await cardCount(withStore)).toBe(0);
      await withStore(async (rt) => {
        expect((await verifyAuditChain(rt.db)).intact).toBe(true);
        expect(await rt.db('card_import_batches').select('outcome', 'rows_imported')).toEqual([{ outcome: 'cancelled', rows_imported: 0 }]);
      });
    });

    test('both verbs refuse on a console of a team server, which has no store', async () => {
      const file = path.join(cli.root, 'x.csv');
      cli.env = { GIFTDESK_SERVER_URL: 'https://giftdesk.example.com:8443' };
      const imported = await run(['cards', 'import', __filename]);
      expect(imported).toMatchObject({ code: 1, err: expect.stringContaining('console of the team server at https://giftdesk.example.com:8443') });
      expect(await run(['cards', 'generate', '--count', '3', '--out', file])).toMatchObject({ code: 1, err: expect.stringContaining('it has no store of its own') });
      expect(existsSync(file)).toBe(false);
      expect(existsSync(cli.dataDir)).toBe(false);
    });
  });
}
