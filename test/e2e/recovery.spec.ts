import { expect, test } from './fixtures';
import { AccountsPage } from './pages/AccountsPage';
import { RecoveryPage } from './pages/RecoveryPage';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
import { advanceClock } from './support/clock';
import { demo, grouped } from './support/demo';

const emailCard = demo.cards.damagedEmailUS;
const physicalCard = demo.cards.damagedPhysicalCA;
const facts = (card: typeof emailCard) => ({
  orderNumber: card.orderNumber,
  purchaserName: card.purchaserName,
  recipientName: card.recipientName,
  deliveryAddress: card.deliveryAddress,
  claimCodeFragment: card.claimCodeFragment,
});
const swapWords = (name: string) => {
  const [first, ...rest] = name.split(' ');
  return `${rest.join(' ')}, ${first}`;
};

test('an e-mail card: the caller is verified and the value goes to their account', async ({ signIn, shell, page, lookup }) => {
  await signIn.signInAs('ava');
  await shell.open('Recovery');
  const recovery = new RecoveryPage(page);
  await recovery.start(emailCard.serial, 'T-7001');
  await expect(recovery.detailsForm.getByLabel('Delivery e-mail')).toBeVisible();
  // Said the way callers say things: other word order, other case.
  await recovery.check({
    ...facts(emailCard),
    recipientName: swapWords(emailCard.recipientName).toUpperCase(),
    deliveryAddress: emailCard.deliveryAddress.toUpperCase(),
  });
  await expect(recovery.outcome).toContainText('Caller verified');
  expect(await recovery.checkLines()).toEqual([
    'Order number: match',
    'Purchaser name: match',
    'Recipient name: match',
    'Delivery address: match',
    'Legible part of the code: fits the code',
  ]);
  // The record itself never reaches the screen.
  await expect(page.getByText(emailCard.deliveryAddress, { exact: false })).toHaveCount(0);

  await recovery.applyToAccount(demo.accounts.usCustomer.id);
  await expect(recovery.done).toContainText(`was added to account ${demo.accounts.usCustomer.id}`);

  await shell.open('Accounts');
  const accounts = new AccountsPage(page);
  await accounts.open(demo.accounts.usCustomer.id);
  const newest = await accounts.newestEntry();
  expect(newest[1]).toBe('Recovery credit · DAMAGED_CODE');
  expect(newest[5]).toBe('T-7001');
  await shell.open('Lookup');
  await lookup.search(emailCard.serial);
  await expect(lookup.status).toHaveText('Redeemed');
  await expect(lookup.timeline).toContainText('Recovery check: caller verified');
});

test('a physical card: a close name is forgiven, and the card is reissued to the address on file', async ({ signIn, shell, page, lookup }) => {
  await signIn.signInAs('ava');
  await shell.open('Recovery');
  const recovery = new RecoveryPage(page);
  await recovery.start(physicalCard.serial, 'T-7002');
  await expect(recovery.detailsForm.getByLabel('Shipping address')).toBeVisible();
  const typo = physicalCard.purchaserName.replace(/^(.)(.)/, '$2$1');
  await recovery.check({
    ...facts(physicalCard),
    purchaserName: typo,
    deliveryAddress: physicalCard.deliveryAddress.replace('Street', 'St.').replace(/,/g, ''),
    claimCodeFragment: '',
  });
  await expect(recovery.outcome).toContainText('Caller verified');
  expect(await recovery.checkLines()).toContain('Purchaser name: close match');
  await recovery.reissue();
  await expect(recovery.done).toContainText(`Card ${grouped(physicalCard.serial)} is cancelled`);
  await expect(recovery.done).toContainText('queued for delivery by post to');
  await expect(recovery.done).toContainText('•');
  await page.getByRole('button', { name: 'Open the card' }).click();
  await expect(lookup.status).toHaveText('Active');
  await expect(lookup.card.getByRole('note', { name: 'Replacement card' })).toContainText(grouped(physicalCard.serial));
  await lookup.card.getByRole('note', { name: 'Replacement card' }).getByRole('button').click();
  await expect(lookup.status).toHaveText('Void');
});

test('three failed checks lock the card; a supervisor in a second window unlocks it', async ({ app, signIn, shell, page, lookup }) => {
  await signIn.signInAs('ava');
  await shell.open('Recovery');
  const recovery = new RecoveryPage(page);
  await recovery.start(emailCard.serial, 'T-7003');
  const wrong = { ...facts(emailCard), orderNumber: '999-0000000-0000000' };
  await recovery.check(wrong);
  await expect(recovery.outcome).toContainText('2 checks are left');
  expect(await recovery.checkLines()).toContain('Order number: does not match');
  // A failed check says nothing about the code: the fragment is not compared.
  expect(await recovery.checkLines()).toContain('Legible part of the code: not checked — the other details must match first');
  await page.getByRole('button', { name: 'Check again' }).click();
  await recovery.check(wrong);
  await expect(recovery.outcome).toContainText('1 check is left');
  await page.getByRole('button', { name: 'Check again' }).click();
  await recovery.check(wrong);
  await expect(recovery.lockedBanner).toContainText('Locked on');
  await expect(recovery.unlockButton).toHaveCount(0); // agents cannot unlock

  const supervisorPage = await app.newWindow();
  await new SignInPage(supervisorPage).signInAs('sam');
  await new Shell(supervisorPage).open('Recovery');
  const supervisor = new RecoveryPage(supervisorPage);
  await supervisor.start(emailCard.serial, 'T-7003');
  await expect(supervisor.lockedBanner).toBeVisible();
  await expect(supervisor.unlockCount).toHaveText(/Never unlocked/);
  await supervisor.unlock('Identity confirmed by call-back to the number on the order');
  await expect(supervisor.detailsForm).toBeVisible();
  await expect(supervisor.unlockCount).toHaveText(/Unlocked once/);

  // The agent starts again and can now check the caller; the card shows it was unlocked.
  await shell.open('Lookup');
  await lookup.search(emailCard.serial);
  await expect(lookup.field('Recovery unlocks')).toHaveText(/Unlocked once/);
  await shell.open('Recovery');
  await recovery.start(emailCard.serial, 'T-7003');
  await recovery.check(facts(emailCard));
  await expect(recovery.outcome).toContainText('Caller verified');
});

test('a verified case expires after 30 minutes', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Recovery');
  const recovery = new RecoveryPage(page);
  await recovery.start(physicalCard.serial, 'T-7004');
  await recovery.check({ ...facts(physicalCard), claimCodeFragment: '' });
  await expect(recovery.outcome).toContainText('Caller verified');
  await advanceClock(page, 31);
  await recovery.reissue();
  const refusal = recovery.resolve.getByRole('alert');
  await expect(refusal).toContainText('This verification has expired. Check the caller again to start a new case.');
  await refusal.getByRole('button', { name: 'Check the caller again' }).click();
  await expect(recovery.detailsForm).toBeVisible();
});

test('a redeemed card has nothing to recover', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  await shell.open('Recovery');
  const recovery = new RecoveryPage(page);
  await recovery.start(demo.cards.redeemedUS.serial, 'T-7005');
  await expect(recovery.problem).toContainText('This card was already redeemed');
});
