/**
 * The renderer caches what the main process answered (a card opened again from
 * another screen is not read again), but only for one session: a sign-out or an idle
 * lock clears the whole cache, so nothing one user saw is shown to, or reused for, the
 * next. Seen from outside through the audit log: every read that reaches the store is
 * an entry, a cached answer is none.
 */
import { expect, test } from './fixtures';
import type { AuditPage } from './pages/AuditPage';
import { BalancePage } from './pages/BalancePage';
import type { LookupPage } from './pages/LookupPage';
import type { Shell } from './pages/Shell';
import { advanceClock } from './support/clock';
import { demo, grouped } from './support/demo';

const card = demo.cards.activeUS;

/** Balance screen → the card's balance → "Open the full card": the lookup it shows may come from the cache. */
async function reopenFromBalance(shell: Shell, lookup: LookupPage): Promise<void> {
  const balance = new BalancePage(lookup.page);
  await shell.open('Balance');
  await balance.check(card.serial);
  await expect(balance.answer).toHaveAccessibleName(`Balance of card ${grouped(card.serial)}`);
  await lookup.page.getByRole('button', { name: 'Open the full card' }).click();
  await lookup.expectCard(grouped(card.serial));
}

/** Who looked this card up, newest first, as the audit log (a supervisor's screen) says. */
async function lookupsOfCard(shell: Shell, audit: AuditPage): Promise<string[]> {
  await shell.open('Audit');
  await expect(audit.rows.first()).toBeVisible();
  const entries = await audit.entries();
  return entries.filter((e) => e.action === 'card.lookup' && e.subject === card.serial).map((e) => e.actor);
}

test('after a sign-out the next user sees nothing of the last one, and gets no cached answer', async ({ signIn, shell, lookup, audit }) => {
  await signIn.signInAs('ava');
  await lookup.search(card.serial);
  await lookup.expectCard(grouped(card.serial));
  // Within Ava's session the card opened again comes from the cache: no second read.
  await reopenFromBalance(shell, lookup);
  await shell.signOut();

  await signIn.signInAs('sam');
  await expect(lookup.card).toHaveCount(0);
  await expect(lookup.serialField).toHaveValue('');
  // The same path for Sam reaches the store: Ava's answer was not kept.
  await reopenFromBalance(shell, lookup);
  expect(await lookupsOfCard(shell, audit)).toEqual(['sam', 'ava']);
});

test('an idle lock clears the cache too', async ({ signIn, shell, lookup, audit, page }) => {
  await signIn.signInAs('sam');
  await lookup.search(card.serial);
  await lookup.expectCard(grouped(card.serial));
  await advanceClock(page, 16, { keepSessions: false });
  await page.keyboard.press('Alt+B'); // the next call finds the session locked
  await expect(signIn.notice).toContainText('You were signed out after a period without activity.');

  await signIn.signInAs('sam');
  await expect(lookup.card).toHaveCount(0);
  await reopenFromBalance(shell, lookup);
  expect(await lookupsOfCard(shell, audit)).toEqual(['sam', 'sam']);
});
