/**
 * A console never connects to the team database itself (issue 12): given a database URL
 * it refuses to start, says why and what to do instead, and shows no password. In the
 * harness project the console has no server (the old direct mode); in the team project
 * it has a server URL too (a console may hold no database URL beside it).
 */
import { expect, test } from './fixtures';
import { StoreErrorPage } from './pages/StoreErrorPage';

const URL_WITH_PASSWORD = 'postgres://giftdesk:hunter2-secret@127.0.0.1:5432/giftdesk';

test.use({ launch: { demo: false, env: { GIFTDESK_DATABASE_URL: URL_WITH_PASSWORD } } });

test('a console given a database URL refuses to open it, says where the URL belongs, and never shows the password', async ({ page }) => {
  const error = new StoreErrorPage(page);
  await expect(error.tryAgain).toBeVisible();
  await expect(error.reason).toContainText(/database URL/);
  await expect(error.reason).toContainText(/server/);
  await expect(page.locator('body')).not.toContainText('hunter2-secret');
  // Try again gives the same answer: nothing was opened in between.
  await error.tryAgain.click();
  await expect(error.reason).toContainText(/database URL/);
});
