/**
 * Accessibility: every screen and every dialog each role reaches, scanned with axe
 * (WCAG 2.1 A/AA, colour contrast included) in the light and the dark colour scheme,
 * with exactly one main landmark and every button named (support/axe.ts). One console
 * per test walks a role's screens, so the scan stays quick. A state that shows a
 * screen plus a message (a refusal, results) is scanned instead of the bare screen:
 * it holds everything the bare screen does.
 */
import { expect, projectSettings, test } from './fixtures';
import { AccountsPage } from './pages/AccountsPage';
import { ApprovalsPage, CreditsPage, RequestCreditDialog } from './pages/CreditsPage';
import { RecoveryPage } from './pages/RecoveryPage';
import { BalancePage } from './pages/BalancePage';
import { advanceClock } from './support/clock';
import { expectAccessible } from './support/axe';
import { demo } from './support/demo';

const emailCard = demo.cards.damagedEmailUS;
const facts = {
  orderNumber: emailCard.orderNumber,
  purchaserName: emailCard.purchaserName,
  recipientName: emailCard.recipientName,
  deliveryAddress: emailCard.deliveryAddress,
  claimCodeFragment: emailCard.claimCodeFragment,
};
const wrongFacts = { ...facts, orderNumber: '999-0000000-0000000' };
const us = demo.accounts.usCustomer.id;

test('sign-in (a refusal, the idle notice) and the admin console', async ({ signIn, shell, audit, page }) => {
  await signIn.expectVisible();
  await signIn.attempt('ava', 'not-the-password');
  await expect(signIn.error).toContainText('The username or password is not right.');
  await expectAccessible(page, 'Sign-in: wrong password');

  await signIn.signInAs('ava');
  await advanceClock(page, 16, { keepSessions: false });
  // The main process ends the idle session and pushes it to the window: no call needed.
  await expect(signIn.notice).toContainText('You were signed out after a period without activity.');
  await expectAccessible(page, 'Sign-in: signed out when idle');

  // An admin's console is oversight and the team's users.
  await signIn.signInAs('ada');
  expect(await shell.screens()).toEqual(['Audit', 'Dashboard', 'Users', 'Limits', 'Import']);
  await expect(audit.rows.first()).toBeVisible();
  await audit.verifyButton.click();
  await expect(audit.result).toContainText('Audit chain intact');
  await expectAccessible(page, 'Audit (admin), chain verified');
});

test.describe('the store cannot be opened', () => {
  // A console's store that is not there: a local console's unreachable database; a team
  // console's unreachable team server (it has no database of its own).
  test.use({
    launch: async ({}, use, testInfo) =>
      use({
        demo: false,
        env:
          projectSettings(testInfo).store === 'postgres'
            ? { GIFTDESK_SERVER_URL: 'https://127.0.0.1:1' }
            : { GIFTDESK_DATABASE_URL: 'postgres://giftdesk:secret@127.0.0.1:1/giftdesk' },
      }),
  });

  test('store-error screen', async ({ page }, testInfo) => {
    const title = projectSettings(testInfo).store === 'postgres' ? 'Giftdesk cannot reach the team server' : 'Giftdesk cannot open its card store';
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
    await expectAccessible(page, 'Store error');
  });
});

test('agent: Lookup and Balance, found, not found and refused', async ({ signIn, shell, lookup, page }) => {
  await signIn.signInAs('ava');
  // The shell's own toggle is the user's path to the dark scheme; the scans then cover both.
  await shell.switchColorScheme();
  expect(await shell.colorScheme()).toBe('dark');
  await shell.switchColorScheme();

  await lookup.search('1700 12');
  await expect(lookup.fieldError()).toBeVisible();
  await expectAccessible(page, 'Lookup: serial refused');

  await lookup.search(demo.cards.redeemedUS.serial);
  await expect(lookup.note('Redeemed')).toBeVisible();
  await expectAccessible(page, 'Lookup: a card found (redeemed)');

  await lookup.search(demo.typoOfActiveUS.typed);
  await expect(lookup.notFound).toBeVisible();
  await expect(lookup.suggestions).toHaveCount(1);
  await expectAccessible(page, 'Lookup: not found, with a suggestion');

  await shell.open('Balance');
  const balance = new BalancePage(page);
  await balance.check(demo.cards.activeUS.serial);
  await expect(balance.verdict).toContainText('Good to use');
  await expectAccessible(page, 'Balance: good to use');
  await balance.check(demo.cards.voidUK.serial);
  await expect(balance.verdict).toContainText('Not redeemable');
  await expectAccessible(page, 'Balance: not redeemable');
});

test('agent: Accounts, the Redeem and Request-credit dialogs, Credits', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.search('ACC-US');
  await expect(accounts.results).toBeVisible();
  await expectAccessible(page, 'Accounts: search results');
  await page.getByRole('button', { name: `Open ${us}` }).click();
  await expect(accounts.account).toHaveAccessibleName(`Account ${us}`);
  await expect(accounts.ledgerRows.first()).toBeVisible();
  await expectAccessible(page, 'Accounts: an opened account');

  await accounts.redeemButton.click();
  const redeem = accounts.redeemDialog;
  await redeem.attempt(demo.cards.redeemedUS.claimCode, 'T-9001');
  await expect(redeem.refusal).toBeVisible();
  await expectAccessible(page, 'Redeem dialog: refused');
  await page.keyboard.press('Escape');
  await expect(redeem.dialog).toBeHidden();

  await accounts.account.getByRole('button', { name: 'Request a credit' }).click();
  const request = new RequestCreditDialog(page);
  await request.amount.fill('300');
  await expect(request.dialog).toContainText('This amount needs two different supervisors to approve.');
  await expectAccessible(page, 'Request-credit dialog (from an account)');
  await page.keyboard.press('Escape');
  await expect(request.dialog).toBeHidden();

  await shell.open('Credits');
  const credits = new CreditsPage(page);
  await credits.newRequest.click();
  await credits.dialog.submit.click();
  await expect(credits.dialog.dialog.locator('[aria-invalid="true"]').first()).toBeVisible();
  await expectAccessible(page, 'Request-credit dialog (new request): fields flagged');
  await credits.dialog.request({ account: us, amount: '15', reason: 'Goodwill', ticketId: 'T-9002' });
  await expect(credits.row('T-9002')).toContainText('Pending');
  await expectAccessible(page, 'Credits: a pending request');
});

test('agent: Recovery, each step and its results', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Recovery');
  const recovery = new RecoveryPage(page);
  await recovery.start(demo.cards.redeemedUS.serial, 'T-9101');
  await expect(recovery.problem).toBeVisible();
  await expectAccessible(page, 'Recovery: card step, nothing to recover');

  await recovery.serialField.fill('');
  await recovery.start(emailCard.serial, 'T-9101');
  await recovery.enterFacts(facts);
  await expectAccessible(page, "Recovery: caller's details");

  await recovery.check(wrongFacts);
  await expect(recovery.outcome).toContainText('Not verified');
  await expectAccessible(page, 'Recovery: not verified');

  await page.getByRole('button', { name: 'Check again' }).click();
  await recovery.check(facts);
  await expect(recovery.outcome).toContainText('Caller verified');
  await recovery.resolve.getByLabel('Customer account').fill(us);
  await recovery.resolve.getByRole('button', { name: 'Find' }).click();
  await expect(recovery.resolve.getByRole('radio', { name: new RegExp(`^${us} `) })).toBeVisible();
  await expectAccessible(page, 'Recovery: verified, apply to an account');
  await recovery.resolve.getByText('Reissue a new card').click();
  await expectAccessible(page, 'Recovery: verified, reissue');

  await recovery.resolve.getByText('Apply to an account').click();
  await recovery.applyToAccount(us);
  await expect(recovery.done).toBeVisible();
  await expectAccessible(page, 'Recovery: done');
});

test('supervisor: a locked recovery and the Unlock dialog', async ({ signIn, shell, page }) => {
  await signIn.signInAs('sam');
  await shell.open('Recovery');
  const recovery = new RecoveryPage(page);
  await recovery.start(emailCard.serial, 'T-9201');
  for (let i = 0; i < 3; i++) {
    if (i > 0) await page.getByRole('button', { name: 'Check again' }).click();
    await recovery.check(wrongFacts);
  }
  await expect(recovery.lockedBanner).toBeVisible();
  await expectAccessible(page, 'Recovery: locked (supervisor)');
  await recovery.unlockButton.click();
  const unlock = page.getByRole('dialog', { name: 'Unlock recovery' });
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(unlock.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'Unlock dialog: reason missing');
  // Sam ran the failed checks himself: another supervisor must unlock.
  await unlock.getByLabel('Reason').fill('Identity confirmed by call-back');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(unlock.getByRole('alert')).toContainText('You ran checks on this card; another supervisor must unlock it.');
  await expectAccessible(page, 'Unlock dialog: refused (own checks)');
  await unlock.getByRole('button', { name: 'Cancel' }).click();

  await shell.signOut();
  await signIn.signInAs('sky');
  await shell.open('Recovery');
  await recovery.start(emailCard.serial, 'T-9201');
  await expect(recovery.unlockCount).toHaveText(/Never unlocked/);
  await recovery.unlockButton.click();
  await unlock.getByLabel('Reason').fill('Identity confirmed by call-back');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(unlock).toBeHidden();
  await expect(recovery.detailsForm).toBeVisible();
  await expect(recovery.unlockCount).toHaveText(/Unlocked once/);
});

test('supervisor: Approvals, the approve and reject dialogs, Audit', async ({ signIn, shell, audit, page }) => {
  // An agent's request that needs two approvals, and one of the supervisor's own.
  await signIn.signInAs('ava');
  await shell.open('Credits');
  const credits = new CreditsPage(page);
  await credits.newRequest.click();
  await credits.dialog.request({ account: us, amount: '300', reason: 'Goodwill', ticketId: 'T-9301' });
  await shell.signOut();
  await signIn.signInAs('sam');
  await shell.open('Credits');
  await credits.newRequest.click();
  await credits.dialog.request({ account: us, amount: '20', reason: 'Service recovery', ticketId: 'T-9302' });

  await shell.open('Approvals');
  const approvals = new ApprovalsPage(page);
  await approvals.item('T-9301').getByRole('button', { name: 'Approve' }).click();
  const approve = page.getByRole('dialog', { name: /^Approve request/ });
  await expect(approve).toBeVisible();
  await expectAccessible(page, 'Approve dialog');
  await approve.getByRole('button', { name: 'Approve' }).click();
  await expect(approve).toBeHidden();
  await expect(approvals.item('T-9301')).toContainText('You approved it; waiting for a second supervisor.');
  await approvals.item('T-9301').getByRole('button', { name: "The account's recent history" }).click();
  await expect(approvals.item('T-9301').getByRole('table')).toBeVisible();
  await expectAccessible(page, 'Approvals: approved once of two, own request, history open');

  await approvals.item('T-9302').getByRole('button', { name: 'Reject' }).click();
  const reject = page.getByRole('dialog', { name: /^Reject request/ });
  await reject.getByRole('button', { name: 'Reject' }).click();
  await expect(reject.getByRole('alert')).toContainText('Give the reason for rejecting');
  await expectAccessible(page, 'Reject dialog: reason missing');
  await page.keyboard.press('Escape');
  await expect(reject).toBeHidden();

  await shell.open('Audit');
  await expect(audit.rows.first()).toBeVisible();
  await expectAccessible(page, 'Audit (supervisor)');
});
