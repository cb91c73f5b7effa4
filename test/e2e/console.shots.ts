/**
 * Screenshots of the console for the README and for reviewing the look
 * (`npm run screenshots`). Each shot first checks the screen shows what it should.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { generateCards } from '../../electron/services/cardGenerate';
import { expect, test } from './fixtures';
import { AccountsPage } from './pages/AccountsPage';
import { BalancePage } from './pages/BalancePage';
import { ApprovalsPage, CreditsPage } from './pages/CreditsPage';
import { FirstRunPage } from './pages/FirstRunPage';
import { ImportPage } from './pages/ImportPage';
import { LimitsPage } from './pages/LimitsPage';
import { UsersPage } from './pages/UsersPage';
import { RecoveryPage } from './pages/RecoveryPage';
import { RevealControls } from './pages/RevealControls';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
import { demo, grouped } from './support/demo';
import { agentActivity, supervisorActivity } from './support/deskActivity';
import { DashboardPage } from './pages/DashboardPage';
import { TicketPage } from './pages/AuditPage';
import { TICKET, workTheTicket } from './support/ticketWork';

const dir = 'docs/screenshots';

test('sign-in', async ({ signIn, page }) => {
  await signIn.expectVisible();
  await expect(signIn.demoUsers).toBeVisible();
  await page.screenshot({ path: `${dir}/sign-in.png` });
});

test('lookup result', async ({ signIn, lookup, page }) => {
  await signIn.signInAs('ava');
  await lookup.search(demo.cards.redeemedUS.serial);
  await lookup.expectCard(grouped(demo.cards.redeemedUS.serial));
  await page.screenshot({ path: `${dir}/lookup-result.png`, fullPage: true });
});

test('not found with suggestions', async ({ signIn, lookup, page }) => {
  await signIn.signInAs('ava');
  await lookup.search(demo.typoOfActiveUS.typed);
  await expect(lookup.suggestions).toHaveCount(1);
  await page.screenshot({ path: `${dir}/lookup-not-found.png` });
});

test('dark scheme', async ({ signIn, lookup, shell, page }) => {
  await signIn.signInAs('sam');
  await shell.switchColorScheme();
  await lookup.search(demo.cards.activeJP.serial);
  await lookup.expectCard(grouped(demo.cards.activeJP.serial));
  await page.mouse.move(600, 700); // away from the header's tooltip
  await page.screenshot({ path: `${dir}/lookup-dark.png`, fullPage: true });
});

test('audit log', async ({ signIn, shell, audit, page }) => {
  await signIn.signInAs('sam');
  await shell.open('Audit');
  await audit.verifyButton.click();
  await expect(audit.result).toContainText('Audit chain intact');
  await page.screenshot({ path: `${dir}/audit.png` });
});

test('dashboard (supervisor), light and dark', async ({ signIn, shell, page }) => {
  test.slow();
  await signIn.signInAs('ava');
  const ids = await agentActivity(page);
  await shell.signOut();
  await signIn.signInAs('sam');
  await supervisorActivity(page, ids);
  await shell.open('Dashboard');
  const dashboard = new DashboardPage(page);
  await expect(dashboard.chart('Refused redemptions by reason')).toBeVisible();
  await expect(dashboard.chart('USD: $3,562.50 owed')).toBeVisible();
  await page.mouse.move(5, 700); // no tooltip
  await page.screenshot({ path: `${dir}/dashboard.png`, fullPage: true });
  await shell.switchColorScheme();
  await page.mouse.move(5, 700);
  await page.screenshot({ path: `${dir}/dashboard-dark.png`, fullPage: true });
});

test('audit search with an entry open, light and dark', async ({ signIn, shell, audit, page }) => {
  await signIn.signInAs('sam');
  await workTheTicket(page);
  await shell.open('Audit');
  await audit.filter({ 'Ticket id': TICKET });
  await audit.openRow(audit.rows.filter({ hasText: 'card.redeemed' }).first());
  await expect(audit.detail('Amount')).toHaveText('$200.00');
  await page.waitForTimeout(400); // the drawer's slide-in
  await page.screenshot({ path: `${dir}/audit-entry.png` });
  await audit.closeDrawer();
  await shell.switchColorScheme();
  await audit.openRow(audit.rows.filter({ hasText: 'credit.requested' }).first());
  await expect(audit.detail('Amount')).toHaveText('$5.00');
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${dir}/audit-entry-dark.png` });
});

test.describe('audit export', () => {
  test.use({
    launch: async ({}, use, testInfo) => {
      await use({ demo: true, env: { GIFTDESK_TEST_EXPORT_FILE: testInfo.outputPath('giftdesk-audit.csv') } });
    },
  });

  test('audit export result, light and dark', async ({ signIn, shell, audit, page }) => {
    await signIn.signInAs('sam');
    await shell.open('Audit');
    await audit.filter({ 'Action (starts with)': 'session.' });
    await audit.exportButton.click();
    await expect(audit.exported).toContainText('to giftdesk-audit.csv');
    await page.mouse.move(600, 700);
    await page.screenshot({ path: `${dir}/audit-export.png` });
    await shell.switchColorScheme();
    await page.mouse.move(600, 700); // away from the header's tooltip
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${dir}/audit-export-dark.png` });
  });
});

test('ticket timeline, light and dark', async ({ signIn, shell, page }) => {
  await signIn.signInAs('sam');
  await workTheTicket(page);
  await shell.open('Audit');
  const ticket = new TicketPage(page);
  await ticket.open(TICKET);
  await expect(ticket.timeline(TICKET)).toContainText('3 entries, oldest first');
  await page.screenshot({ path: `${dir}/audit-ticket.png`, fullPage: true });
  await shell.switchColorScheme();
  await page.mouse.move(600, 700); // away from the header's tooltip
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${dir}/audit-ticket-dark.png`, fullPage: true });
});

test('balance inquiry', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Balance');
  const balance = new BalancePage(page);
  await balance.check(demo.cards.activeUS.serial);
  await expect(balance.verdict).toContainText('Good to use');
  await page.screenshot({ path: `${dir}/balance.png` });
});

test('account with ledger and chart', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.open(demo.accounts.usCustomer.id);
  await expect(accounts.chart).toBeVisible();
  await page.screenshot({ path: `${dir}/account.png`, fullPage: true });
});

test('redeem dialog with a refusal', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.open(demo.accounts.usCustomer.id);
  await accounts.redeemButton.click();
  await accounts.redeemDialog.attempt(demo.cards.activeJP.claimCode, 'T-48213');
  await expect(accounts.redeemDialog.refusal).toContainText('Wrong marketplace');
  await page.screenshot({ path: `${dir}/redeem-refused.png` });
});

test('recovery: per-field results', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Recovery');
  const recovery = new RecoveryPage(page);
  const card = demo.cards.damagedPhysicalCA;
  await recovery.start(card.serial, 'T-7002');
  await recovery.check({
    orderNumber: card.orderNumber,
    purchaserName: card.purchaserName.replace(/^(.)(.)/, '$2$1'),
    recipientName: card.recipientName,
    deliveryAddress: card.deliveryAddress,
    claimCodeFragment: card.claimCodeFragment,
  });
  await expect(recovery.outcome).toContainText('Caller verified');
  await page.screenshot({ path: `${dir}/recovery-verified.png`, fullPage: true });
});

test('approvals queue', async ({ app, signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Credits');
  const credits = new CreditsPage(page);
  await credits.newRequest.click();
  await credits.dialog.request({ account: demo.accounts.usCustomer.id, amount: '300', reason: 'Code not working', ticketId: 'T-8003' });
  await credits.newRequest.click();
  await credits.dialog.request({ account: demo.accounts.usCustomer.id, amount: '12.50', reason: 'Goodwill', ticketId: 'T-8001', note: 'Late delivery' });
  const supervisor = await app.newWindow();
  await new SignInPage(supervisor).signInAs('sam');
  await new Shell(supervisor).open('Approvals');
  const approvals = new ApprovalsPage(supervisor);
  await expect(approvals.items).toHaveCount(2);
  await approvals.item('T-8003').getByRole('button', { name: "The account's recent history" }).click();
  await supervisor.waitForTimeout(400); // the history panel's opening transition
  await supervisor.screenshot({ path: `${dir}/approvals.png`, fullPage: true });
  await credits.newRequest.click();
  await credits.dialog.enter({ account: demo.accounts.usCustomer.id, amount: '40', reason: 'Service recovery', ticketId: 'T-8010' });
  await page.screenshot({ path: `${dir}/credit-request.png` });
});

test.describe('a team console whose server cannot be reached', () => {
  // No team server here: the console's serverUrl points at a closed port, as when the server is down.
  test.use({ launch: { demo: false, env: { GIFTDESK_SERVER_URL: 'https://127.0.0.1:1' } } });

  test('team server unreachable', async ({ page }) => {
    await expect(page.getByRole('heading', { name: 'Giftdesk cannot reach the team server' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
    await page.screenshot({ path: `${dir}/team-server-unreachable.png` });
  });
});

test('limits (admin), light and dark', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ada');
  await shell.open('Limits');
  const limits = new LimitsPage(page);
  await expect(limits.creditRow('USD')).toContainText('$500.00');
  await limits.setApproval('Sam Ortiz (sam)', 'USD', '150.50');
  await limits.expectClosed();
  await expect(limits.approvalRow('sam', 'USD')).toContainText('$150.50');
  // The notice closed and the page back at the top: the shot shows the screen, not the overlays.
  await page.getByRole('button', { name: /close/i }).filter({ visible: true }).first().click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(600, 700);
  await page.screenshot({ path: `${dir}/limits.png`, fullPage: true });
  await shell.switchColorScheme();
  await limits.changeGeneral('Idle lock', '500');
  await expect(limits.fieldError()).toBeVisible();
  await page.screenshot({ path: `${dir}/limits-dark-dialog.png` });
  await limits.dialog.getByRole('button', { name: 'Cancel' }).click();
  await limits.expectClosed();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(600, 700);
  await page.screenshot({ path: `${dir}/limits-dark.png`, fullPage: true });
});

test('personal data revealed, light and dark', async ({ signIn, lookup, shell, page }) => {
  test.slow();
  const card = demo.cards.damagedEmailUS;
  await signIn.signInAs('sam');
  await lookup.search(card.serial);
  await lookup.expectCard(grouped(card.serial));
  const reveal = new RevealControls(page, lookup.card);
  await reveal.open('purchaser name');
  await reveal.dialog.getByRole('textbox', { name: 'Reason' }).fill('caller disputes who bought the card');
  await reveal.dialog.getByRole('textbox', { name: 'Ticket id' }).fill('T-4821');
  await page.screenshot({ path: `${dir}/reveal-dialog.png`, animations: 'disabled' }); // the modal fully in, not mid-fade
  await reveal.dialog.getByRole('button', { name: 'Reveal' }).click();
  await expect(reveal.timer('purchaser name')).toBeVisible();
  await expect(lookup.field('Purchaser')).toContainText(card.purchaserName);
  await page.mouse.move(600, 700);
  await page.screenshot({ path: `${dir}/reveal-shown.png` });
  await shell.switchColorScheme();
  await page.mouse.move(600, 700);
  await page.screenshot({ path: `${dir}/reveal-shown-dark.png` });
});

test('users (admin)', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ada');
  await shell.open('Users');
  const users = new UsersPage(page);
  await expect(users.row('ava')).toBeVisible();
  await page.mouse.move(600, 700);
  await page.screenshot({ path: `${dir}/users.png` });
});

test.describe('a new store', () => {
  test.use({ launch: { demo: false, env: {} } });
  test('first run', async ({ page }) => {
    const firstRun = new FirstRunPage(page);
    await firstRun.expectVisible();
    await page.screenshot({ path: `${dir}/first-run.png` });
  });
});

test.describe('a batch to import', () => {
  test.use({
    launch: async ({}, use, testInfo) => {
      const file = testInfo.outputPath('issuer-batch.csv');
      await mkdir(testInfo.outputDir, { recursive: true });
      await generateCards(createWriteStream(file), { count: 100_000, seed: 7 });
      await use({ demo: true, env: { GIFTDESK_TEST_IMPORT_FILE: file } });
    },
  });
  test('import: progress, then the summary', async ({ signIn, shell, page }) => {
    test.setTimeout(240_000);
    await signIn.signInAs('ada');
    await shell.open('Import');
    const screen = new ImportPage(page);
    await screen.importChosenFile();
    await expect(page.getByTestId('import-progress')).toContainText(/rows\/s/, { timeout: 60_000 });
    await page.screenshot({ path: `${dir}/import-progress.png` });
    await expect(screen.result).toBeVisible({ timeout: 200_000 });
    await page.screenshot({ path: `${dir}/import-done.png` });
  });
});
