/**
 * `giftdesk audit export <file.csv> [--actor --action --subject --ticket --from --to]`:
 * the same filter (shared/auditFilter.ts) and the same service as the console's
 * `audit:export`, on both engines; a bad option is a usage error with nothing written;
 * the export is audited under the CLI's operator.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { listAudit, recordAudit } from '../../electron/services/audit';
import { auditCsvRecord } from '../../electron/services/auditExport';
import { cliStore } from '../support/cliStore';
import { TestClock } from '../support/clock';
import { engines } from '../support/store';

const sam = { id: 2, username: 'sam', role: 'supervisor' as const };

for (const engine of engines) {
  describe(engine, () => {
    const cli = cliStore(engine, 'auditexport');
    const { run, withStore } = cli;

    test('audit export writes the filtered entries as CSV, equal to audit:list, and is audited', async () => {
      const clock = new TestClock('2026-11-22T09:00:00.000Z');
      await withStore(async (rt) => {
        for (let i = 0; i < 6; i++) {
          clock.advance(60_000);
          await recordAudit(rt.db, clock, { actor: i % 2 ? 'ava' : 'sky', action: i % 3 ? 'card.lookup' : 'credit.requested', subjectId: `17${i}`, ticketId: `T-${i % 2}` });
        }
      });
      const file = path.join(cli.root, 'ava.csv');
      const done = await run(['audit', 'export', file, '--actor', 'ava', '--action', 'card.', '--ticket', 'T-1', '--from', '2026-11-22T09:00:00Z', '--to', '2026-11-23T00:00:00Z']);
      expect(done).toEqual({ code: 0, out: `Exported 2 audit entries to ${file}.\n`, err: '' });
      const rows = parse(await readFile(file, 'utf8')) as string[][];
      await withStore(async (rt) => {
        const listed = await listAudit(rt, sam, { actor: 'ava', action: 'card.', ticketId: 'T-1', from: '2026-11-22T09:00:00Z', to: '2026-11-23T00:00:00Z', limit: 50 });
        expect(rows.slice(1)).toEqual(listed.entries.map(auditCsvRecord));
        const [exported] = (await listAudit(rt, sam, { action: 'audit.exported', limit: 5 })).entries;
        expect(exported).toMatchObject({ actor: expect.stringMatching(/^cli:/), details: { filter: { actor: 'ava', action: 'card.', ticketId: 'T-1' }, rowCount: 2, fileName: 'ava.csv' } });
      });
      // No option: the whole log (the first export's entry among it).
      const all = path.join(cli.root, 'all.csv');
      expect(await run(['audit', 'export', all])).toMatchObject({ code: 0, out: `Exported 7 audit entries to ${all}.\n` });
    });

    test('a bad option is a usage error (exit 2) naming it, and nothing is written', async () => {
      const file = path.join(cli.root, 'bad.csv');
      const wildcard = await run(['audit', 'export', file, '--action', 'card.%']);
      expect(wildcard.code).toBe(2);
      expect(wildcard.err).toContain('giftdesk: --action: An action is letters and dots only (e.g. card. or credit.approved).');
      const backwards = await run(['audit', 'export', file, '--from', '2026-11-22T10:00:00Z', '--to', '2026-11-22T09:00:00Z']);
      expect(backwards.code).toBe(2);
      expect(backwards.err).toContain('giftdesk: --to: The "to" time must be after the "from" time.');
      const notTime = await run(['audit', 'export', file, '--from', 'yesterday']);
      expect(notTime.code).toBe(2);
      expect(notTime.err).toContain('giftdesk: --from: Enter the from time as an ISO date and time');
      expect(await readdir(cli.root)).not.toContain('bad.csv');
    });

    test('a folder that does not exist: exit 1 with the reason in words, nothing left behind', async () => {
      const missing = path.join(cli.root, 'nowhere', 'audit.csv');
      const failed = await run(['audit', 'export', missing]);
      expect(failed).toEqual({
        code: 1,
        out: '',
        err: 'giftdesk: The audit log could not be exported: that folder does not exist. No file was left behind; choose another place and try again.\n',
      });
    });
  });
}
