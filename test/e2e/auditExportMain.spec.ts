/**
 * `audit:export` end to end through the real main process (issue 14): the harness's save
 * dialog "chooses" the path the launch names (GIFTDESK_TEST_EXPORT_FILE), the main
 * process writes the CSV there, and the file read back holds what `audit:list` shows.
 * Called from the page as the Audit screen (or hostile code in it) would; an agent is
 * refused. A console of a team server refuses in words, and the command it names, run on
 * the server's machine, writes the file. (The Audit screen's button is tested with the
 * screen.)
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { expect, projectSettings, test } from './fixtures';

type Answer = { ok: boolean; error?: { code: string; message: string }; data?: any };

function callAudit(page: Page, verb: 'export' | 'list', input: unknown): Promise<Answer> {
  return page.evaluate(
    ([v, i]) => (window as unknown as { giftdesk: { audit: Record<string, (input: unknown) => Promise<Answer>> } }).giftdesk.audit[v]!(i),
    [verb, input] as const,
  );
}

test.use({
  launch: async ({}, use, testInfo) => {
    await use({ demo: true, env: { GIFTDESK_TEST_EXPORT_FILE: testInfo.outputPath('audit-export.csv') } });
  },
});

test('a supervisor exports the audit log to the path the save dialog gives; an agent is refused', async ({ signIn, shell, page, storeSetup }, testInfo) => {
  const file = testInfo.outputPath('audit-export.csv');
  await signIn.signInAs('ava');
  expect(await callAudit(page, 'export', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  await shell.signOut();

  await signIn.signInAs('sam');
  const filter = { action: 'session.' };
  const answer = await callAudit(page, 'export', filter);
  if (projectSettings(testInfo).store === 'postgres') {
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(answer.error!.message).toContain("On the team server's machine, run: giftdesk audit export <file.csv>");
    const cli = await storeSetup.team!.serverCli(['audit', 'export', file, '--action', 'session.']);
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toMatch(/Exported \d+ audit entries to /);
  } else {
    expect(answer).toMatchObject({ ok: true, data: { cancelled: false, fileName: 'audit-export.csv' } });
  }
  const rows = parse(await readFile(file, 'utf8')) as string[][];
  expect(rows[0]).toEqual(['seq', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'ticket_id', 'details', 'hash']);
  const listed = await callAudit(page, 'list', { ...filter, limit: 200 });
  // The same rows as the list, newest first (no session.* entry was written since).
  expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(listed.data.entries.map((e: { seq: number }) => e.seq));
  expect(rows.slice(1).map((r) => r[2])).toEqual(expect.arrayContaining(['ava', 'sam']));
  if (projectSettings(testInfo).store === 'sqlite') expect(answer.data.rowCount).toBe(rows.length - 1);
});
