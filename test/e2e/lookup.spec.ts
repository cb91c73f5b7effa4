import { expect, test } from './fixtures';
import { demo, grouped } from './support/demo';

test.beforeEach(async ({ signIn }) => {
  await signIn.signInAs('ava');
});

test('the serial field has focus and groups digits as they are typed', async ({ lookup }) => {
  await expect(lookup.serialField).toBeFocused();
  await lookup.serialField.pressSequentially('17001234');
  await expect(lookup.serialField).toHaveValue('1700 1234');
  await lookup.serialField.pressSequentially('-5678 90');
  await expect(lookup.serialField).toHaveValue('1700 1234 5678 90');
  await expect(lookup.page.getByText('14 of 19 digits')).toBeVisible();
});

test('an active US card shows its values, masked personal data, last 4 and timeline', async ({ lookup }) => {
  const card = demo.cards.activeUS;
  await lookup.search(card.serial);
  await lookup.expectCard(grouped(card.serial));
  await expect(lookup.status).toHaveText('Active');
  const dollars = `$${(card.faceValueMinor / 100).toFixed(2)}`;
  await expect(lookup.field('Face value')).toContainText(dollars);
  await expect(lookup.field('Remaining value')).toContainText(dollars);
  await expect(lookup.field('Marketplace')).toContainText('United States (US) · USD');
  await expect(lookup.field('Claim code')).toContainText(card.claimCode.slice(-4));
  await expect(lookup.card).not.toContainText(card.claimCode);
  await expect(lookup.field('Delivery')).toContainText('E-mail');
  await expect(lookup.field('Purchaser')).toContainText('•');
  await expect(lookup.field('Delivery e-mail')).toContainText('@');
  await expect(lookup.field('Delivery e-mail')).toContainText('•');
  await expect(lookup.timeline).toContainText('Card issued');
  await expect(lookup.timeline).toContainText('Delivered by e-mail');
});

test('spaces and dashes are accepted; the Look up button works too', async ({ lookup }) => {
  const serial = demo.cards.activeJP.serial;
  await lookup.serialField.fill(`${serial.slice(0, 4)}-${serial.slice(4, 10)} ${serial.slice(10)}`);
  await lookup.searchButton.click();
  await lookup.expectCard(grouped(serial));
  await expect(lookup.field('Face value')).toContainText('￥');
  await expect(lookup.field('Face value')).not.toContainText('.');
});

test('a redeemed card says when and where it went; remaining value is zero', async ({ lookup }) => {
  await lookup.search(demo.cards.redeemedUS.serial);
  await expect(lookup.status).toHaveText('Redeemed');
  await expect(lookup.field('Remaining value')).toHaveText(/\$0\.00/);
  await expect(lookup.note('Redeemed')).toContainText(`to account ${demo.cards.redeemedUS.redeemedTo}`);
  await expect(lookup.timeline).toContainText(`Redeemed to account ${demo.cards.redeemedUS.redeemedTo}`);
});

test('a void card is shown as void', async ({ lookup }) => {
  await lookup.search(demo.cards.voidUK.serial);
  await expect(lookup.status).toHaveText('Void');
  await expect(lookup.field('Remaining value')).toContainText('£0.00');
  await expect(lookup.note('Void')).toContainText('This card was cancelled and has no value.');
});

test('not found: a clear message and "did you mean" serials one typo away', async ({ lookup }) => {
  const { typed, suggests } = demo.typoOfActiveUS;
  await lookup.search(typed);
  await expect(lookup.notFound).toContainText(`No card with serial ${grouped(typed)}`);
  await expect(lookup.notFound).toContainText('Did the caller mean one of these?');
  await expect(lookup.suggestions).toHaveText([grouped(suggests)]);
  await lookup.suggestions.first().click();
  await lookup.expectCard(grouped(suggests));
  await expect(lookup.serialField).toHaveValue(grouped(suggests));
});

test('a malformed serial is flagged before searching', async ({ lookup }) => {
  await lookup.search('1700 1234 5678');
  await expect(lookup.fieldError()).toHaveText('A serial number has 19 digits; this one has 12.');
  await expect(lookup.card).toHaveCount(0);
  await expect(lookup.notFound).toHaveCount(0);
  await lookup.search('1800 1234 5678 9012 345');
  await expect(lookup.fieldError()).toHaveText('A serial number starts with 17.');
  // Typing again clears the flag.
  await lookup.serialField.press('Backspace');
  await expect(lookup.fieldError()).toHaveCount(0);
});

test('every lookup is in the audit log a supervisor reads; malformed ones never reach the store', async ({ lookup, shell, signIn, audit }) => {
  await lookup.search(demo.cards.activeUS.serial);
  await lookup.expectCard(grouped(demo.cards.activeUS.serial));
  await lookup.search('1700 1234');
  await shell.signOut();
  await signIn.signInAs('sam');
  await shell.open('Audit');
  await expect(audit.rows.first()).toBeVisible();
  const entries = await audit.entries();
  const lookups = entries.filter((e) => e.action === 'card.lookup');
  expect(lookups).toEqual([{ actor: 'ava', action: 'card.lookup', subject: demo.cards.activeUS.serial }]);
  expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['session.signIn', 'session.signOut']));
});
