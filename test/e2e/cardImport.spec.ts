/**
 * Card batch import from the Import screen (issue 13). The harness's open dialog
 * "chooses" the file the launch names (GIFTDESK_TEST_IMPORT_FILE): a generated batch.
 * An admin imports it with the keyboard, an agent then looks one of its cards up. A
 * console of a team server refuses in words (the import runs where the server runs).
 */
import { createWriteStream } from 'node:fs';
import { generateCardRows, generateCards } from '../../electron/services/cardGenerate';
import { formatSerial } from '../../shared/serial';
import { expect, projectSettings, test } from './fixtures';
import { ImportPage } from './pages/ImportPage';
import { expectAccessible } from './support/axe';

const COUNT = 3000;
const SEED = 1313;

test.use({
  launch: async ({}, use, testInfo) => {
    const file = testInfo.outputPath('batch.csv');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(testInfo.outputDir, { recursive: true });
    await generateCards(createWriteStream(file), { count: COUNT, seed: SEED });
    await use({ demo: true, env: { GIFTDESK_TEST_IMPORT_FILE: file } });
  },
});

test('an admin imports a generated batch from the Import screen; an agent looks one of its cards up', async ({ signIn, shell, lookup, page }, testInfo) => {
  test.setTimeout(180_000); // two axe scans in two schemes and two imports on a shared 2-core machine
  const screen = new ImportPage(page);
  await signIn.signInAs('ada');
  await shell.open('Import');
  await expect(screen.importButton).toBeVisible();
  await expectAccessible(page, 'Import (admin)');

  // From the keyboard: the button is reached with Tab and pressed with Enter.
  await screen.importButton.focus();
  await page.keyboard.press('Enter');
  if (projectSettings(testInfo).store === 'postgres') {
    await expect(screen.refusal).toContainText("On the team server's machine, run: giftdesk cards import");
    await expectAccessible(page, 'Import refused on a team console');
    return;
  }
  await expect(screen.result).toContainText(`Imported ${COUNT.toLocaleString('en-US')} cards from batch.csv`, { timeout: 60_000 });
  await expect(screen.result).toContainText('0 already present, 0 rejected');
  await expectAccessible(page, 'Import (admin), batch imported');

  // The same file again changes nothing.
  await screen.importChosenFile();
  await expect(screen.result).toContainText('Imported 0 cards from batch.csv', { timeout: 60_000 });
  await expect(screen.result).toContainText(`${COUNT.toLocaleString('en-US')} already present`);

  await shell.signOut();
  await signIn.signInAs('ava');
  const card = [...generateCardRows(COUNT, SEED)][1717]!;
  await lookup.search(card.serial);
  await lookup.expectCard(formatSerial(card.serial));
});
