/**
 * Team mode: two consoles (two main processes, as on two desktops) on one PostgreSQL
 * store. Runs in the `team` project only.
 */
import { expect, test } from './fixtures';
import { AuditPage } from './pages/AuditPage';
import { LookupPage } from './pages/LookupPage';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
import { demo } from './support/demo';

test('a lookup on one console is in the audit chain the other console reads', async ({ signIn, lookup, anotherConsole }) => {
  await signIn.signInAs('ava');
  await lookup.search(demo.cards.activeUS.serial);
  await expect(lookup.status).toHaveText('Active');

  const other = await (await anotherConsole()).firstWindow();
  await new SignInPage(other).signInAs('sam');
  await new Shell(other).open('Audit');
  const audit = new AuditPage(other);
  await expect(audit.rows.first()).toBeVisible();
  const entries = await audit.entries();
  expect(entries).toContainEqual({ actor: 'ava', action: 'card.lookup', subject: demo.cards.activeUS.serial });
  expect(entries.filter((e) => e.action === 'session.signIn').map((e) => e.actor).sort()).toEqual(['ava', 'sam']);
  await audit.verifyButton.click();
  await expect(audit.result).toContainText('Audit chain intact');
});

test('a lockout on one console applies on the other', async ({ signIn, anotherConsole }) => {
  for (let i = 1; i <= 5; i++) await signIn.attempt('sky', `guess-${i}`);
  await expect(signIn.error).toContainText('Signing in is locked');

  const otherSignIn = new SignInPage(await (await anotherConsole()).firstWindow());
  await otherSignIn.signIn('sky', demo.users.sky.password);
  await expect(otherSignIn.error).toContainText('Signing in is locked');
});

test('both consoles writing at once keep one chain', async ({ signIn, lookup, anotherConsole }) => {
  const otherPage = await (await anotherConsole()).firstWindow();
  const otherSignIn = new SignInPage(otherPage);
  await Promise.all([signIn.signInAs('ava'), otherSignIn.signInAs('sam')]);
  const otherLookup = new LookupPage(otherPage);
  for (const serial of [demo.cards.activeJP.serial, demo.cards.voidUK.serial, demo.typoOfActiveUS.typed]) {
    await Promise.all([lookup.search(serial), otherLookup.search(serial)]);
  }
  await expect(lookup.notFound).toBeVisible();
  await new Shell(otherPage).open('Audit');
  const audit = new AuditPage(otherPage);
  await audit.verifyButton.click();
  await expect(audit.result).toContainText('Audit chain intact');
  expect((await audit.entries()).filter((e) => e.action === 'card.lookup')).toHaveLength(6);
});
