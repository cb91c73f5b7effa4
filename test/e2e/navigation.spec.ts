import { expect, test } from './fixtures';

test('an agent sees the card desk only', async ({ signIn, shell }) => {
  await signIn.signInAs('ava');
  expect(await shell.screens()).toEqual(['Lookup', 'Balance', 'Accounts', 'Recovery', 'Credits']);
});

test('a supervisor also sees the audit log', async ({ signIn, shell }) => {
  await signIn.signInAs('sam');
  expect(await shell.screens()).toEqual(['Lookup', 'Balance', 'Accounts', 'Recovery', 'Credits', 'Approvals', 'Audit', 'Dashboard']);
});

test('an admin has no money desk, only oversight and users', async ({ signIn, shell, audit }) => {
  await signIn.signInAs('ada');
  expect(await shell.screens()).toEqual(['Audit', 'Dashboard', 'Users', 'Limits', 'Import']);
  await expect(audit.table).toBeVisible();
});

test('the audit chain verifies from the Audit screen', async ({ signIn, shell, audit }) => {
  await signIn.signInAs('sam');
  await shell.open('Audit');
  await audit.verifyButton.click();
  await expect(audit.result).toContainText('Audit chain intact');
  await expect(audit.result).toContainText(/All \d+ entries match their hashes/);
});

test('light and dark colour schemes, remembered across a reload', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  expect(await shell.colorScheme()).toBe('light');
  await shell.switchColorScheme();
  expect(await shell.colorScheme()).toBe('dark');
  await expect(shell.colorSchemeToggle).toHaveAccessibleName('Switch to light colour scheme');
  await page.reload();
  await expect(shell.nav).toBeVisible();
  expect(await shell.colorScheme()).toBe('dark');
});
