/**
 * Issue 13's "done when": a newcomer with an empty store creates the first admin in the
 * console, adds an agent and a supervisor, imports a generated 100 000-card batch while
 * the Import screen shows its progress bar, and the agent (held to a password of their
 * own first) looks one of those cards up.
 *
 * The team project runs it on an empty database behind a real `giftdesk serve`: there
 * the Import screen says to import on the server's machine (the server has no open
 * dialog), and the batch goes in the way the README tells a team admin to — the real
 * `giftdesk cards import` with the server's configuration — before the agent looks a
 * card of it up from their console.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { generateCardRows, generateCards } from '../../electron/services/cardGenerate';
import { formatSerial } from '../../shared/serial';
import { expect, projectSettings, test } from './fixtures';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { FirstRunPage } from './pages/FirstRunPage';
import { ImportPage } from './pages/ImportPage';
import { UsersPage } from './pages/UsersPage';

const COUNT = 100_000;
const SEED = 2026;

test.use({
  launch: async ({}, use, testInfo) => {
    const file = testInfo.outputPath('issuer-batch.csv');
    await mkdir(testInfo.outputDir, { recursive: true });
    await generateCards(createWriteStream(file), { count: COUNT, seed: SEED });
    await use({ demo: false, env: { GIFTDESK_TEST_IMPORT_FILE: file } });
  },
});

test('a newcomer: first admin, an agent and a supervisor, a 100 000-card batch with a progress bar, the agent finds a card', async ({
  page,
  shell,
  signIn,
  lookup,
  storeSetup,
}, testInfo) => {
  test.setTimeout(300_000); // 100 000 cards sealed and written, and five slow password hashes, on a shared 2-core machine
  const firstRun = new FirstRunPage(page);
  await firstRun.expectVisible();
  await firstRun.createAdmin({ username: 'nora', displayName: 'Nora Admin', password: 'nora first password' });

  await shell.open('Users');
  const users = new UsersPage(page);
  await users.createUser({ username: 'ivy', displayName: 'Ivy Agent', role: 'Agent', password: 'ivy first password' });
  await users.createUser({ username: 'stan', displayName: 'Stan Supervisor', role: 'Supervisor', password: 'stan first password' });

  await shell.open('Import');
  const importScreen = new ImportPage(page);
  await importScreen.importChosenFile();
  if (projectSettings(testInfo).store === 'postgres') {
    await expect(importScreen.refusal).toContainText("On the team server's machine, run: giftdesk cards import");
    const cli = await storeSetup.team!.serverCli(['cards', 'import', testInfo.outputPath('issuer-batch.csv')]);
    expect(cli.output).toContain(`Imported ${COUNT} cards from issuer-batch.csv`);
    expect(cli.code).toBe(0);
  } else {
    // The bar fills as the file is read: a share of the file, rows, rows/s, time left.
    const bar = page.getByRole('progressbar', { name: 'Import progress' });
    await expect(bar).toBeVisible();
    await expect(page.getByTestId('import-progress')).toContainText(/\d+ % · [\d,]+ rows read/, { timeout: 60_000 });
    await expect(importScreen.result).toContainText(`Imported ${COUNT.toLocaleString('en-US')} cards from issuer-batch.csv`, {
      timeout: 240_000,
    });
  }

  await shell.signOut();
  await signIn.signIn('ivy', 'ivy first password');
  const change = new ChangePasswordPage(page);
  await change.expectForced();
  await change.change('ivy first password', 'ivy own password');
  await expect(shell.nav).toBeVisible({ timeout: 30_000 });

  const card = [...generateCardRows(COUNT, SEED)][76_543]!;
  await lookup.search(card.serial);
  await lookup.expectCard(formatSerial(card.serial));
});
