/**
 * A team console whose database cannot be opened shows why and a retry, not a blank
 * window; once the database is there, Try again opens the console.
 */
import { expect, test } from './fixtures';
import { createDatabase, databaseUrl, dropDatabase } from '../support/postgres';
import { E2E_PG_TEMPLATE, PG_ADMIN_ENV } from './support/globalSetup';
import { SignInPage } from './pages/SignInPage';

const adminUrl = () => process.env[PG_ADMIN_ENV]!;
const LATER = 'giftdesk_e2e_later';

test.describe('the team database is not there yet', () => {
  test.use({ launch: { demo: false, env: { GIFTDESK_DATABASE_URL: databaseUrl(process.env[PG_ADMIN_ENV] ?? 'postgres://x@127.0.0.1/x', LATER) } } });

  test.afterEach(async () => {
    await dropDatabase(adminUrl(), LATER);
  });

  test('shows the reason and a working Try again', async ({ page }) => {
    const heading = page.getByRole('heading', { name: 'Giftdesk cannot open its card store' });
    await expect(heading).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('that database does not exist');
    await expect(page.getByRole('alert')).not.toContainText('giftdesk-test'); // no password on screen

    await createDatabase(adminUrl(), LATER, E2E_PG_TEMPLATE);
    await page.getByRole('button', { name: 'Try again' }).click();
    await new SignInPage(page).signInAs('ava');
  });
});

test.describe('the server is unreachable', () => {
  test.use({ launch: { demo: false, env: { GIFTDESK_DATABASE_URL: 'postgres://giftdesk:secret@127.0.0.1:1/giftdesk' } } });

  test('says the server cannot be reached, and Try again asks again', async ({ page }) => {
    await expect(page.getByRole('alert')).toContainText('Cannot reach the team database at postgres://giftdesk:***@127.0.0.1:1/giftdesk');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('heading', { name: 'Giftdesk cannot open its card store' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('the connection was refused');
  });
});
