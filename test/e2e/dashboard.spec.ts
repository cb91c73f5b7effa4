/**
 * The supervisor dashboard: with the demo data and a little desk activity (credits
 * decided and waiting, a recovery lock and its unlock, refused redemptions up to the
 * rate limit), every chart renders, hovering shows a chart's numbers, the table view
 * shows the same numbers, it is usable from the keyboard and axe-clean in both colour
 * schemes; an agent has no Dashboard and is refused the channel.
 */
import { expect, test } from './fixtures';
import { DashboardPage } from './pages/DashboardPage';
import { expectAccessible } from './support/axe';
import { agentActivity, supervisorActivity } from './support/deskActivity';
import { answerFromPage } from './support/pageCalls';

test('a supervisor sees every chart, the numbers on hover and as tables; keyboard and axe both schemes', async ({ signIn, shell, page }) => {
  test.slow(); // two sign-ins and twenty calls before the screen opens
  await signIn.signInAs('ava');
  const ids = await agentActivity(page);
  await shell.signOut();
  await signIn.signInAs('sam');
  await supervisorActivity(page, ids);
  await shell.open('Dashboard');
  const dashboard = new DashboardPage(page);
  await expect(dashboard.heading).toBeVisible();
  await expect(dashboard.period('30 days')).toBeChecked();

  // Every chart renders with the demo data and the day's activity.
  await expect(dashboard.chart('USD: $3,562.50 owed')).toBeVisible();
  for (const name of [
    'Credit requests waiting, per currency',
    'Refused redemptions by reason',
    'Manual credits decided per day, by reason',
    'Manual credits by reason: approved, rejected, expired',
    'Recovery checks per day: verified, failed, locked, and unlocks',
  ]) {
    await expect(dashboard.chart(name)).toBeVisible();
  }
  await expect(dashboard.section('Approval queue now')).toContainText('CAD: 1 waiting, the oldest for');
  await expect(dashboard.section('Refused redemptions')).toContainText('Rate limit reached 1 time');
  // Nobody revealed personal data: said in words, not an empty chart.
  await expect(dashboard.section('Personal data revealed')).toContainText('Nobody revealed personal data in the last 30 days.');

  // Numbers on hover.
  await dashboard.hoverBar('Credit requests waiting, per currency');
  await expect(dashboard.tooltip('Credit requests waiting, per currency')).toContainText(/CAD[\s\S]*Waiting[\s\S]*1/);
  await expectAccessible(page, 'Dashboard: charts');

  // The same numbers as tables.
  const today = await page.evaluate(() => new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }).format(new Date()));
  await dashboard.showTables();
  await expect(dashboard.chart('Refused redemptions by reason')).toHaveCount(0);
  expect(await dashboard.rows('Refused redemptions by reason')).toEqual([
    ['Unknown code', 'CLAIM_CODE_NOT_FOUND', '10'],
    ['Cancelled card', 'CARD_VOID', '1'],
    ['Rate limit reached', 'REDEMPTION_RATE_LIMITED', '1'],
  ]);
  expect(await dashboard.rows('Rate-limit trips per day')).toEqual([[today, '1', '1']]);
  expect(await dashboard.rows('Manual credits decided per day')).toEqual([
    [today, 'Damaged code', 'Rejected', '1'],
    [today, 'Goodwill', 'Approved', '1'],
  ]);
  expect((await dashboard.rows('Credit requests waiting')).map((row) => row.slice(0, 2))).toEqual([['CAD', '1']]);
  expect(await dashboard.rows('Recovery checks per day')).toEqual([[today, '0', '2', '1', '1']]);
  const liability = await dashboard.rows('Outstanding liability per currency');
  expect(liability.find((row) => row[0] === 'USD')).toEqual(['USD', '35', '$2,795.00', '7', '$767.50', '$3,562.50']);
  expect(liability.map((row) => row[0])).toEqual(['CAD', 'EUR', 'GBP', 'INR', 'JPY', 'USD']);
  await expectAccessible(page, 'Dashboard: tables');

  // From the keyboard: the period, then the switch back to charts.
  await dashboard.period('30 days').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(dashboard.period('7 days')).toBeChecked();
  await expect(dashboard.section('Manual credits decided')).toContainText(today);
  await page.keyboard.press('Tab');
  await expect(dashboard.tablesSwitch).toBeFocused();
  await page.keyboard.press('Space');
  await expect(dashboard.tablesSwitch).not.toBeChecked();
  await expect(dashboard.chart('Refused redemptions by reason')).toBeVisible();
});

test('an agent has no Dashboard, and calling the channel is refused', async ({ signIn, shell, page }) => {
  await signIn.signInAs('ava');
  expect(await shell.screens()).not.toContain('Dashboard');
  expect(await answerFromPage(page, 'dashboard:summary', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
