/**
 * The team server dies (SIGKILL) while a console is signed in: the console covers its
 * screens with a clear screen naming the team server and a Try again, never a blank
 * window; once the server is back on the same address, Try again returns to the screen
 * the user was on, still signed in (sessions live in the database). Runs in the `team`
 * project only.
 */
import { expect, test } from './fixtures';
import { StoreErrorPage } from './pages/StoreErrorPage';
import { expectAccessible } from './support/axe';
import { demo } from './support/demo';

test('a killed server: a screen naming it with Try again, and back where the user was once it returns', async ({ team, signIn, lookup, page }) => {
  await signIn.signInAs('ava');
  await lookup.search(demo.cards.activeUS.serial);
  await expect(lookup.status).toHaveText('Active');

  const { port, url } = team.server;
  await team.server.kill();
  await lookup.search(demo.cards.activeJP.serial);
  const screen = new StoreErrorPage(page);
  await expect(screen.heading).toHaveText('Giftdesk cannot reach the team server');
  await expect(screen.reason).toContainText(`Giftdesk cannot reach the team server at ${url}`);
  await expect(page.getByRole('main')).toHaveCount(1); // the screens underneath are out of the way
  await expectAccessible(page, 'Team server down while signed in');

  // Still down: Try again says so again.
  await screen.tryAgain.click();
  await expect(screen.tryAgain).toBeEnabled();
  await expect(screen.heading).toHaveText('Giftdesk cannot reach the team server');

  await team.startServer({ port });
  await screen.tryAgain.click();
  await expect(screen.heading).toBeHidden();
  // The Lookup screen as it was, and the same session: the next lookup goes through.
  await expect(lookup.serialField).toBeVisible();
  await lookup.search(demo.cards.voidUK.serial);
  await expect(lookup.note('Void')).toBeVisible();
});
