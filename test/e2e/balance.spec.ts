import { expect, test } from './fixtures';
import { BalancePage } from './pages/BalancePage';
import { demo, grouped } from './support/demo';

test.beforeEach(async ({ signIn }) => {
  await signIn.signInAs('ava');
});

test('an active card: its full value, and that it is good to use', async ({ shell, page }) => {
  const balance = new BalancePage(page);
  await shell.open('Balance');
  await expect(balance.serialField).toBeFocused();
  await balance.check(demo.cards.activeUS.serial);
  const dollars = `$${(demo.cards.activeUS.faceValueMinor / 100).toFixed(2)}`;
  await expect(balance.remaining).toHaveText(dollars);
  await expect(balance.verdict).toContainText('Good to use');
  await expect(balance.field('Redeemable')).toContainText('Yes');
});

test('a redeemed card: nothing left, and where its value went', async ({ shell, page }) => {
  const balance = new BalancePage(page);
  await shell.open('Balance');
  await balance.check(demo.cards.redeemedUS.serial);
  await expect(balance.remaining).toHaveText('$0.00');
  await expect(balance.verdict).toContainText('Not redeemable');
  await expect(balance.verdict).toContainText(`already added to account ${demo.cards.redeemedUS.redeemedTo}`);
});

test('a void card: nothing left, cancelled', async ({ shell, page }) => {
  const balance = new BalancePage(page);
  await shell.open('Balance');
  await balance.check(demo.cards.voidUK.serial);
  await expect(balance.remaining).toHaveText('£0.00');
  await expect(balance.verdict).toContainText('This card was cancelled and has no value.');
});

test('JPY shows whole yen', async ({ shell, page }) => {
  const balance = new BalancePage(page);
  await shell.open('Balance');
  await balance.check(demo.cards.activeJP.serial);
  await expect(balance.remaining).toHaveText(`￥${demo.cards.activeJP.faceValueMinor.toLocaleString('en-US')}`);
});

test('one keystroke from the Lookup screen: Alt+B answers for the card shown', async ({ lookup, page }) => {
  await lookup.search(demo.cards.activeJP.serial);
  await lookup.expectCard(grouped(demo.cards.activeJP.serial));
  await page.keyboard.press('Alt+B');
  const balance = new BalancePage(page);
  await expect(balance.answer).toHaveAccessibleName(`Balance of card ${grouped(demo.cards.activeJP.serial)}`);
  await expect(balance.verdict).toContainText('Good to use');
  // …and back to the full card.
  await page.getByRole('button', { name: 'Open the full card' }).click();
  await lookup.expectCard(grouped(demo.cards.activeJP.serial));
});

test('the Check balance button on a card does the same', async ({ lookup, page }) => {
  await lookup.search(demo.cards.voidUK.serial);
  await lookup.card.getByRole('button', { name: /Check balance/ }).click();
  await expect(new BalancePage(page).remaining).toHaveText('£0.00');
});

test('an unknown serial suggests the card one typo away', async ({ shell, page }) => {
  const balance = new BalancePage(page);
  await shell.open('Balance');
  await balance.check(demo.typoOfActiveUS.typed);
  await expect(balance.notFound).toBeVisible();
  await balance.suggestions.first().click();
  await expect(balance.answer).toHaveAccessibleName(`Balance of card ${grouped(demo.typoOfActiveUS.suggests)}`);
});
