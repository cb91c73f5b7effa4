import { expect, test } from './fixtures';
import { AccountsPage } from './pages/AccountsPage';
import { ApprovalsPage, CreditsPage, RequestCreditDialog } from './pages/CreditsPage';
import { RecoveryPage } from './pages/RecoveryPage';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
import { demo } from './support/demo';
import type { Page } from '@playwright/test';
import type { GiftdeskApp } from './support/launch';

const us = demo.accounts.usCustomer.id;

async function supervisorWindow(app: GiftdeskApp, user: 'sam' | 'sky'): Promise<{ page: Page; approvals: ApprovalsPage; shell: Shell }> {
  const page = await app.newWindow();
  await new SignInPage(page).signInAs(user);
  const shell = new Shell(page);
  await shell.open('Approvals');
  return { page, approvals: new ApprovalsPage(page), shell };
}

const dollars = (text: string) => Number(text.replace(/[^0-9.]/g, ''));

test('an agent requests, a supervisor approves in another window, the agent sees it approved and the balance changed', async ({ app, signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.open(us);
  const before = dollars(await accounts.balance.innerText());
  await accounts.account.getByRole('button', { name: 'Request a credit' }).click();
  const dialog = new RequestCreditDialog(page);
  await dialog.amount.fill('12.345');
  await expect(dialog.amount).toHaveAccessibleDescription(/USD amounts have at most 2 decimal places\./);
  await dialog.enter({ amount: '12.50', reason: 'Goodwill', ticketId: 'T-8001', note: 'Late delivery' });
  await expect(dialog.balanceAfter).toHaveText(`$${(before + 12.5).toFixed(2)}`);
  await dialog.submit.click();
  await expect(dialog.dialog).toBeHidden();
  await expect(page.getByText('Credit requested')).toBeVisible();

  const sam = await supervisorWindow(app, 'sam');
  await expect(sam.shell.nav.getByLabel('1 awaiting your approval')).toBeVisible();
  const item = sam.approvals.item('T-8001');
  await expect(item).toContainText('$12.50');
  await expect(item).toContainText('0 of 1 approvals');
  await expect(item).toContainText('Requested by Ava Thompson');
  await item.getByRole('button', { name: "The account's recent history" }).click();
  await expect(item.getByRole('table', { name: `Recent history of ${us}` })).toBeVisible();
  await sam.approvals.approve('T-8001', 'Goodwill approved');
  await expect(sam.page.getByText('Credit approved and posted')).toBeVisible();
  await expect(sam.approvals.item('T-8001')).toHaveCount(0);
  await expect(sam.shell.nav.getByLabel(/awaiting your approval/)).toHaveCount(0);

  await shell.open('Credits');
  const credits = new CreditsPage(page);
  await expect(credits.row('T-8001')).toContainText('Approved');
  await expect(credits.row('T-8001')).toContainText('by sam');
  await shell.open('Accounts');
  await accounts.open(us);
  expect(dollars(await accounts.balance.innerText())).toBeCloseTo(before + 12.5, 2);
  expect((await accounts.newestEntry())[1]).toBe('Manual credit · GOODWILL');
});

test('a supervisor cannot approve their own request, on screen or by calling the channel', async ({ signIn, shell, page }) => {
  await signIn.signInAs('sam');
  await shell.open('Credits');
  const credits = new CreditsPage(page);
  await credits.newRequest.click();
  await credits.dialog.request({ account: us, amount: '20', reason: 'Service recovery', ticketId: 'T-8002' });
  await shell.open('Approvals');
  const approvals = new ApprovalsPage(page);
  const item = approvals.item('T-8002');
  await expect(item.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(item).toContainText('You requested this — another supervisor must approve it.');
  const id = Number((await item.getAttribute('aria-label'))!.replace(/\D/g, ''));
  const answer = await page.evaluate(
    (requestId) =>
      (window as unknown as { giftdesk: { credits: { approve(i: object): Promise<unknown> } } }).giftdesk.credits.approve({
        requestId,
        idempotencyKey: 'self-approval-try-1',
      }),
    id,
  );
  expect(answer).toMatchObject({ ok: false, error: { code: 'SELF_APPROVAL_FORBIDDEN' } });
});

test('at or above the dual-approval threshold two different supervisors approve', async ({ app, signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Credits');
  const credits = new CreditsPage(page);
  await credits.newRequest.click();
  await credits.dialog.enter({ account: us, amount: '300', reason: 'Code not working', ticketId: 'T-8003' });
  await expect(credits.dialog.dialog).toContainText('This amount needs two different supervisors to approve.');
  await credits.dialog.submit.click();
  await expect(credits.row('T-8003')).toContainText('0 of 2');

  const sam = await supervisorWindow(app, 'sam');
  await sam.approvals.approve('T-8003');
  await expect(sam.page.getByText('Approval recorded')).toBeVisible();
  await expect(sam.approvals.item('T-8003')).toContainText('1 of 2 approvals');
  await expect(sam.approvals.item('T-8003').getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(sam.approvals.item('T-8003')).toContainText('You approved it; waiting for a second supervisor.');

  const sky = await supervisorWindow(app, 'sky');
  await expect(sky.approvals.item('T-8003')).toContainText('approved so far by sam');
  await sky.approvals.approve('T-8003');
  await expect(sky.page.getByText('Credit approved and posted')).toBeVisible();
  await credits.refresh.click();
  await expect(credits.row('T-8003')).toContainText('Approved');
  await expect(credits.row('T-8003')).toContainText('2 of 2');
});

test('a rejection needs a reason, and the requester sees it', async ({ app, signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Credits');
  const credits = new CreditsPage(page);
  await credits.newRequest.click();
  await credits.dialog.request({ account: us, amount: '15', reason: 'Other (note required)', ticketId: 'T-8004', note: 'Customer asked for compensation' });
  const sam = await supervisorWindow(app, 'sam');
  await sam.approvals.item('T-8004').getByRole('button', { name: 'Reject' }).click();
  const dialog = sam.page.getByRole('dialog', { name: /^Reject request/ });
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Give the reason for rejecting');
  await dialog.getByLabel('Reason for rejecting').fill('Not covered by the goodwill policy');
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await expect(dialog).toBeHidden();
  await credits.refresh.click();
  await expect(credits.row('T-8004')).toContainText('Rejected');
  await expect(credits.row('T-8004')).toContainText('Not covered by the goodwill policy');
});

test('the requester may cancel while the request is pending', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Credits');
  const credits = new CreditsPage(page);
  await credits.newRequest.click();
  await credits.dialog.request({ account: us, amount: '5', reason: 'Goodwill', ticketId: 'T-8005' });
  await credits.row('T-8005').getByRole('button', { name: /^Cancel request/ }).click();
  await expect(credits.row('T-8005')).toContainText('Cancelled');
});

test('a failed recovery check leads to a credit request prefilled with the card and ticket', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Recovery');
  const recovery = new RecoveryPage(page);
  const card = demo.cards.damagedEmailUS;
  await recovery.start(card.serial, 'T-8006');
  await recovery.check({
    orderNumber: '999-0000000-0000000',
    purchaserName: card.purchaserName,
    recipientName: card.recipientName,
    deliveryAddress: card.deliveryAddress,
  });
  await expect(recovery.outcome).toContainText('Not verified');
  await page.getByRole('button', { name: 'Request a manual credit instead' }).click();
  const dialog = new RequestCreditDialog(page);
  await expect(dialog.dialog).toBeVisible();
  await expect(dialog.ticket).toHaveValue('T-8006');
  await expect(dialog.serial).toHaveValue(card.serial.replace(/^(\d{4})(\d{4})(\d{4})(\d{4})(\d{3})$/, '$1 $2 $3 $4 $5'));
  await expect(dialog.reason).toHaveValue('Damaged code');
  await dialog.chooseAccount(us);
  await dialog.amount.fill('25');
  await dialog.submit.click();
  await expect(dialog.dialog).toBeHidden();
  await expect(new CreditsPage(page).row('T-8006')).toContainText('Pending');
});
