/**
 * The admins' Limits screen (issue 13): changes saved and audited, a bad value said in
 * words under its field with nothing changed, the same rules in the main process for a
 * call that skips the screen, no Limits for the desk roles, axe in both colour schemes,
 * and an edit made with the keyboard alone.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { LimitsPage } from './pages/LimitsPage';
import { expectAccessible } from './support/axe';

type Answer = { ok: boolean; error?: { code: string; message: string }; data?: unknown };

/** Calls `window.giftdesk.limits.<verb>` from the page, as hostile code in it could. */
function callLimits(page: Page, verb: 'get' | 'set', input: unknown): Promise<Answer> {
  return page.evaluate(
    ([v, i]) => (window as unknown as { giftdesk: { limits: Record<string, (input: unknown) => Promise<Answer>> } }).giftdesk.limits[v]!(i),
    [verb, input] as const,
  );
}

async function openLimits(signIn: { signInAs(user: 'ada'): Promise<void> }, shell: { open(screen: string): Promise<void> }, page: Page) {
  await signIn.signInAs('ada');
  await shell.open('Limits');
  const limits = new LimitsPage(page);
  await expect(limits.heading).toBeVisible();
  return limits;
}

test('an admin changes the idle lock: a bad value is said under the field and changes nothing; the same value again says so', async ({
  signIn,
  shell,
  page,
}) => {
  const limits = await openLimits(signIn, shell, page);
  expect(await limits.generalValue('Idle lock')).toBe('15 minutes');
  await expect(page.getByText("Changes to the idle lock and the longest session take effect at each user's next sign-in")).toBeVisible();

  await limits.changeGeneral('Idle lock', '500');
  await expect(limits.fieldError()).toHaveText('Idle lock must be 1 to 240 minutes.');
  await limits.dialog.getByRole('button', { name: 'Cancel' }).click();
  await limits.expectClosed();
  expect(await limits.generalValue('Idle lock')).toBe('15 minutes');
  await limits.changeGeneral('Idle lock', '10');
  await limits.expectClosed();
  await expect(page.getByText('Idle lock: 10 minutes (was 15 minutes). It takes effect at the next sign-in')).toBeVisible();
  await expect.poll(() => limits.generalValue('Idle lock')).toBe('10 minutes');
  await limits.changeGeneral('Idle lock', '10');
  await expect(page.getByText('Idle lock is already 10 minutes; nothing changed.')).toBeVisible();

  // The main process holds the same rule for a call that skips the screen.
  const refused = await callLimits(page, 'set', { kind: 'general', name: 'idleLockMinutes', value: 0 });
  expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'Idle lock must be 1 to 240 minutes.' } });
  // Read again from the store: a new page load opens the admin's first screen.
  await page.reload();
  await shell.open('Limits');
  await expect.poll(() => limits.generalValue('Idle lock')).toBe('10 minutes');
});

test('an admin changes the USD maximum and a supervisor’s approval limit; a threshold above the maximum is refused; the audit log shows old and new', async ({
  signIn,
  shell,
  audit,
  page,
}) => {
  const limits = await openLimits(signIn, shell, page);
  await expect(limits.creditRow('USD')).toContainText('$500.00');
  await limits.changeCredit('USD', 'most per request', '400');
  await limits.expectClosed();
  await expect(limits.creditRow('USD')).toContainText('$400.00');
  await limits.changeCredit('USD', 'two approvals from', '450');
  await expect(limits.fieldError()).toHaveText(
    'Two approvals from $450.00 would be above the most per request, $400.00: no credit would ever need a second supervisor.',
  );
  await limits.dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(limits.creditRow('USD')).toContainText('$250.00');

  await expect(page.getByText('No supervisor has an own limit')).toBeVisible();
  await limits.setApproval('Sam Ortiz (sam)', 'USD', '150.50');
  await limits.expectClosed();
  await expect(limits.approvalRow('sam', 'USD')).toContainText('$150.50');
  await expect(page.getByText('sam approves USD credits up to $150.50 (was the most per request).')).toBeVisible();
  const overApproval = await callLimits(page, 'set', { kind: 'approval', username: 'sam', currency: 'USD', amount: '400.01' });
  expect(overApproval).toMatchObject({ ok: false, error: { message: "sam's approval limit, $400.01, would be above the most per request, $400.00." } });

  await shell.open('Audit');
  await expect(audit.rows.first()).toBeVisible();
  const actions = (await audit.entries()).map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(['limits.creditMaxChanged', 'limits.approvalChanged', 'limits.set.refused']));
  const max = audit.rows.filter({ hasText: 'limits.creditMaxChanged' }).first();
  await expect(max).toContainText('credits.maxPerRequest.USD');
  // The entry's details, in words and money, in its drawer.
  await audit.openRow(max);
  await expect(audit.detail('Old')).toHaveText('$500.00');
  await expect(audit.detail('New')).toHaveText('$400.00');
  await audit.closeDrawer();
  await audit.openRow(audit.rows.filter({ hasText: 'limits.approvalChanged' }).first());
  await expect(audit.detail('New')).toHaveText('$150.50');
  await audit.closeDrawer();

  // Cleared again from the Limits screen.
  await shell.open('Limits');
  await page.getByRole('button', { name: "Clear sam's USD approval limit" }).click();
  await expect(page.getByText('sam approves USD credits up to the most per request, $400.00 (was $150.50).')).toBeVisible();
  await expect(page.getByText('No supervisor has an own limit')).toBeVisible();
});

for (const user of ['ava', 'sam'] as const) {
  test(`${user} has no Limits screen, and the main process refuses their limits calls`, async ({ signIn, shell, page }) => {
    await signIn.signInAs(user);
    expect(await shell.screens()).not.toContain('Limits');
    const set = await callLimits(page, 'set', { kind: 'general', name: 'idleLockMinutes', value: 240 });
    expect(set).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const setApproval = await callLimits(page, 'set', { kind: 'approval', username: 'sam', currency: 'USD', amount: '500' });
    expect(setApproval).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await callLimits(page, 'get', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
}

test('Limits passes axe in both colour schemes, with a supervisor’s own limit shown', async ({ signIn, shell, page }) => {
  const limits = await openLimits(signIn, shell, page);
  await expect(limits.creditRow('JPY')).toContainText('¥50,000');
  await limits.setApproval('Sky Nakamura (sky)', 'EUR', '100');
  await limits.expectClosed();
  await expect(limits.approvalRow('sky', 'EUR')).toContainText('€100.00');
  await expectAccessible(page, 'Limits (admin)');
});

test('Limits dialogs pass axe in both colour schemes: a refused value, setting an approval limit', async ({ signIn, shell, page }) => {
  const limits = await openLimits(signIn, shell, page);
  await limits.changeGeneral('Longest session', '30');
  await expect(limits.fieldError()).toHaveText('Longest session must be 1 to 24 hours.');
  await expectAccessible(page, 'Limits: a refused value');
  await limits.dialog.getByRole('button', { name: 'Cancel' }).click();
  await limits.expectClosed();
  await limits.setApprovalButton.click();
  await expect(limits.dialog.getByRole('combobox', { name: 'Supervisor' })).toBeVisible();
  await expectAccessible(page, 'Limits: set an approval limit');
});

/** Presses Tab until `target` has focus. */
async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  for (let presses = 0; presses <= max; presses++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${String(target)} was not reached with ${max} presses of Tab`);
}

test('keyboard only: Tab to a limit, Enter opens its dialog on the field, type, Enter saves, Escape closes', async ({ signIn, page }) => {
  await signIn.signInAs('ada');
  await page.evaluate(() => {
    const w = window as unknown as { pointerPresses: number };
    w.pointerPresses = 0;
    window.addEventListener('pointerdown', () => (w.pointerPresses += 1), { capture: true });
  });
  const limits = new LimitsPage(page);
  const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Limits\b/ });
  await tabTo(page, nav);
  await page.keyboard.press('Enter');
  await expect(limits.heading).toBeVisible();

  const change = page.getByRole('button', { name: 'Change failed redemptions per hour' });
  await tabTo(page, change);
  await page.keyboard.press('Enter');
  const field = limits.dialog.getByRole('textbox', { name: /^Failed redemptions per hour/ });
  await expect(field).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2');
  await page.keyboard.press('Enter');
  await expect(limits.fieldError()).toHaveText('Failed redemptions per hour must be 3 to 100 failures.');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('20');
  await page.keyboard.press('Enter');
  await limits.expectClosed();
  await expect.poll(() => limits.generalValue('Failed redemptions per hour')).toBe('20 failures');

  // A dialog opened by mistake closes with Escape, and nothing changes.
  await tabTo(page, page.getByRole('button', { name: 'Change USD most per request' }));
  await page.keyboard.press('Enter');
  await expect(limits.dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await limits.expectClosed();
  await expect(limits.creditRow('USD')).toContainText('$500.00');
  expect(await page.evaluate(() => (window as unknown as { pointerPresses: number }).pointerPresses)).toBe(0);
});
