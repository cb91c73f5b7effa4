import { expect, test } from './fixtures';
import { AccountsPage } from './pages/AccountsPage';
import { demo } from './support/demo';

const us = demo.accounts.usCustomer;
const withoutAccents = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

test.beforeEach(async ({ signIn, shell }) => {
  await signIn.signInAs('ava');
  await shell.open('Accounts');
});

test('finds an account by e-mail in any case and shows balance, chart and ledger', async ({ page }) => {
  const accounts = new AccountsPage(page);
  await accounts.open(us.id, us.email.toUpperCase());
  await expect(accounts.balance).toContainText('$');
  await expect(accounts.chart).toBeVisible();
  expect(await accounts.ledgerRows.count()).toBeGreaterThanOrEqual(3);
  // The newest entry's "balance after" is the balance shown.
  expect((await accounts.newestEntry())[3]).toBe(await accounts.balance.innerText());
  await expect(accounts.account).toContainText('•'); // masked name and e-mail
  await expect(accounts.account).not.toContainText(us.email);
});

test('finds an account by name without accents and in any order', async ({ page }) => {
  const accounts = new AccountsPage(page);
  const [first, last] = demo.accounts.caCustomer.displayName.split(' ');
  await accounts.search(`${withoutAccents(last!)}, ${withoutAccents(first!)}`);
  await expect(accounts.results.or(accounts.account)).toBeVisible();
  await expect(page.getByText(demo.accounts.caCustomer.id).first()).toBeVisible();
});

test('redeeming a code: the value is added, the ledger shows it, the card is used', async ({ page, shell, lookup }) => {
  const accounts = new AccountsPage(page);
  await accounts.open(us.id);
  const before = await accounts.balance.innerText();
  const code = demo.cards.activeUS.claimCode;
  // Typed in lower case with spaces, as a caller reads it; the field shows the printed grouping.
  await accounts.redeemButton.click();
  await accounts.redeemDialog.code.pressSequentially(code.toLowerCase().replace(/(.{4})/g, '$1 '));
  await expect(accounts.redeemDialog.code).toHaveValue(`${code.slice(0, 4)}-${code.slice(4, 10)}-${code.slice(10)}`);
  await accounts.redeemDialog.ticket.fill('T-20001');
  await accounts.redeemDialog.submit.click();
  await expect(accounts.redeemDialog.dialog).toBeHidden();
  await expect(page.getByText('Code redeemed')).toBeVisible();
  await expect(accounts.balance).not.toHaveText(before);
  const newest = await accounts.newestEntry();
  expect(newest[1]).toBe('Redemption');
  expect(newest[2]).toBe(`+$${(demo.cards.activeUS.faceValueMinor / 100).toFixed(2)}`);
  expect(newest[3]).toBe(await accounts.balance.innerText());
  expect(newest[5]).toBe('T-20001');
  expect(newest[6]).toBe('ava');
  await shell.open('Lookup');
  await lookup.search(demo.cards.activeUS.serial);
  await expect(lookup.status).toHaveText('Redeemed');
});

test('each refusal is a sentence the agent can read to the caller', async ({ page }) => {
  const accounts = new AccountsPage(page);
  await accounts.open(us.id);
  await accounts.redeemButton.click();
  const dialog = accounts.redeemDialog;

  await dialog.attempt('ABCD-1234');
  await expect(dialog.code).toHaveAccessibleDescription(/A claim code has 14 or 15 characters; this one has 8\./);

  await dialog.attempt('ZZZZ-ZZZZZZ-ZZZZ');
  await expect(dialog.refusal).toContainText('Unknown claim code');
  await expect(dialog.refusal).toContainText('No gift card has this claim code. Ask the caller to read it again');

  await dialog.attempt(demo.cards.voidUK.claimCode);
  await expect(dialog.refusal).toContainText('This card was cancelled and has no value, so it cannot be redeemed.');

  await dialog.attempt(demo.cards.activeJP.claimCode);
  await expect(dialog.refusal).toContainText(
    'This is a Japan gift card. It can only be added to a Japan account, and this account is in United States.',
  );

  const sameAccount = demo.cards.redeemedUS.redeemedTo === us.id;
  await dialog.attempt(demo.cards.redeemedUS.claimCode);
  await expect(dialog.refusal).toContainText(
    sameAccount ? 'This code was already added to this account on' : 'This code was already redeemed on',
  );
  if (!sameAccount) await expect(dialog.refusal).toContainText('to a different account. It cannot be used again.');

  await dialog.attempt(demo.cards.damagedEmailUS.claimCode, ' ');
  await expect(dialog.ticket).toHaveAccessibleDescription(/Enter the ticket id\./);
});

test('after 10 failed codes in an hour the account refuses redemption, and says until when', async ({ page }) => {
  const accounts = new AccountsPage(page);
  await accounts.open(us.id);
  await accounts.redeemButton.click();
  const dialog = accounts.redeemDialog;
  for (let i = 0; i < 10; i++) {
    await dialog.attempt(`WRONG-CODE00-${String(i).padStart(4, '0')}`);
    await expect(dialog.refusal).toContainText('Unknown claim code');
  }
  await dialog.attempt(demo.cards.activeUS.claimCode);
  await expect(dialog.refusal).toContainText('Too many failed attempts');
  await expect(dialog.refusal).toContainText('can be tried again after');
});

test('the same code twice: the second time says it is already on this account', async ({ page }) => {
  const accounts = new AccountsPage(page);
  await accounts.open(us.id);
  await accounts.redeemButton.click();
  await accounts.redeemDialog.attempt(demo.cards.activeUS.claimCode);
  await expect(accounts.redeemDialog.dialog).toBeHidden();
  await accounts.redeemButton.click();
  await accounts.redeemDialog.attempt(demo.cards.activeUS.claimCode);
  await expect(accounts.redeemDialog.refusal).toContainText('Already on this account');
  await expect(accounts.redeemDialog.refusal).toContainText('The balance already includes it.');
  await expect(accounts.ledgerRows.filter({ hasText: 'T-1001' })).toHaveCount(1);
});
