/**
 * `audit:export` end to end through the real main process (issue 14): the harness's save
 * dialog "chooses" the path the launch names (GIFTDESK_TEST_EXPORT_FILE), the main
 * process writes the CSV there, and the file read back holds what `audit:list` shows.
 * Called from the page as the Audit screen (or hostile code in it) would; an agent is
 * refused. The Audit screen's Export CSV sends the applied filter and says what was saved.
 * In the team project the same specs run through a real server: the console shows its
 * save dialog, the server streams and audits the CSV, the console keeps the file whole;
 * `giftdesk audit export` still works on the server's machine.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { expect, projectSettings, test } from './fixtures';
import { expectAccessible } from './support/axe';

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
  expect(answer).toMatchObject({ ok: true, data: { cancelled: false, fileName: 'audit-export.csv' } });
  const rows = parse(await readFile(file, 'utf8')) as string[][];
  expect(rows[0]).toEqual(['seq', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'ticket_id', 'details', 'hash']);
  const listed = await callAudit(page, 'list', { ...filter, limit: 200 });
  // The same rows as the list, newest first (no session.* entry was written since).
  expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(listed.data.entries.map((e: { seq: number }) => e.seq));
  expect(rows.slice(1).map((r) => r[2])).toEqual(expect.arrayContaining(['ava', 'sam']));
  expect(answer.data.rowCount).toBe(rows.length - 1);

  if (projectSettings(testInfo).store === 'postgres') {
    // The command for the server's administrator is still there, and writes the same rows.
    const cliFile = testInfo.outputPath('audit-export-cli.csv');
    const cli = await storeSetup.team!.serverCli(['audit', 'export', cliFile, '--action', 'session.']);
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toMatch(/Exported \d+ audit entries to /);
    expect((parse(await readFile(cliFile, 'utf8')) as string[][]).map((r) => r[0])).toEqual(rows.map((r) => r[0]));
  }
});

test('Export CSV on the Audit screen saves what the filter shows and says so (axe with the result shown)', async ({ signIn, shell, audit, page }, testInfo) => {
  test.slow(); // two sign-ins, an export and an axe scan in both schemes
  const file = testInfo.outputPath('audit-export.csv');
  await signIn.signInAs('ava');
  await shell.signOut();
  await signIn.signInAs('sam');
  await shell.open('Audit');
  await audit.filter({ User: 'ava' });
  await expect(audit.summary).toContainText('by ava');
  await expect.poll(async () => (await audit.entries()).map((e) => e.actor)).not.toContain('sam');
  const shown = await audit.entries();

  await audit.exportButton.click();
  await expect(audit.exported).toHaveText(`Exported ${shown.length} entries to audit-export.csv`);
  const rows = parse(await readFile(file, 'utf8')) as string[][];
  expect(rows[0]![3]).toBe('action');
  // The same entries as the screen shows, in the same order (newest first), and as audit:list gives.
  expect(rows.slice(1).map((r) => ({ actor: r[2], action: r[3] }))).toEqual(shown.map((e) => ({ actor: e.actor, action: e.action })));
  const listed = await callAudit(page, 'list', { actor: 'ava', limit: 200 });
  expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(listed.data.entries.map((e: { seq: number }) => e.seq));
  await expectAccessible(page, 'Audit: exported');

  // The export itself is on record (written by whoever holds the store: the console, or the team server).
  await audit.clear();
  await audit.filter({ 'Action (starts with)': 'audit.exported' });
  await expect(audit.exported).toHaveCount(0);
  await expect.poll(async () => (await audit.entries()).map((e) => `${e.actor} ${e.action}`)).toEqual(['sam audit.exported']);
});
