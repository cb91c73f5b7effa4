import { expect, test } from './fixtures';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
import { advanceClock } from './support/clock';
import { demo } from './support/demo';

test.describe('signing in', () => {
  test('the sign-in screen lists the demo users and an agent signs in', async ({ signIn, shell }) => {
    await signIn.expectVisible();
    await expect(signIn.username).toBeFocused();
    await expect(signIn.demoUsers.getByRole('row')).toHaveCount(5);
    await expect(signIn.demoUsers).toContainText('ava-demo');
    await signIn.signInAs('ava');
    expect(await shell.signedInUser()).toBe('Ava Thompson');
  });

  test('clicking a demo user fills the form', async ({ signIn, shell, page }) => {
    await page.getByRole('button', { name: 'Use sam' }).click();
    await expect(signIn.username).toHaveValue('sam');
    await signIn.submit.click();
    expect(await shell.signedInUser()).toBe('Sam Ortiz');
  });

  test('a wrong password and an unknown user get the same generic message', async ({ signIn }) => {
    await signIn.signIn('ava', 'not-the-password');
    await expect(signIn.error).toContainText('The username or password is not right.');
    await expect(signIn.password).toHaveValue('');
    await expect(signIn.password).toBeFocused();
    const wrongPassword = (await signIn.error.textContent()) ?? "";
    await signIn.signIn('nobody-here', 'not-the-password');
    await expect(signIn.error).toHaveText(wrongPassword);
  });

  test('five failures lock the user, even with the right password afterwards', async ({ signIn }) => {
    for (let i = 1; i <= 4; i++) {
      await signIn.attempt('sky', `guess-${i}`);
      await expect(signIn.error).toContainText('The username or password is not right.');
    }
    await signIn.attempt('sky', 'guess-5');
    await expect(signIn.error).toContainText('Signing in is locked');
    await expect(signIn.error).toContainText('Too many failed attempts');
    await signIn.signIn('sky', demo.users.sky.password);
    await expect(signIn.error).toContainText('Signing in is locked');
    // Another user is unaffected.
    await signIn.signInAs('sam');
  });

  test('empty fields are flagged without a round trip', async ({ signIn }) => {
    await signIn.submit.click();
    await expect(signIn.username).toHaveJSProperty('validity.valueMissing', true);
    await expect(signIn.form).toBeVisible();
  });
});

test.describe('signing out and windows', () => {
  test('sign-out returns to the sign-in screen and really ends the session', async ({ signIn, shell, page }) => {
    await signIn.signInAs('ava');
    await shell.signOut();
    await signIn.expectVisible();
    await expect(shell.nav).toHaveCount(0);
    await page.reload();
    await signIn.expectVisible();
  });

  test('a reload keeps the window signed in: the session lives in the main process', async ({ signIn, shell, page }) => {
    await signIn.signInAs('sam');
    await page.reload();
    expect(await shell.signedInUser()).toBe('Sam Ortiz');
  });

  test('each window has its own session', async ({ app, signIn, shell }) => {
    await signIn.signInAs('ava');
    const second = await app.newWindow();
    const secondSignIn = new SignInPage(second);
    await secondSignIn.expectVisible();
    await secondSignIn.signInAs('sam');
    expect(await new Shell(second).signedInUser()).toBe('Sam Ortiz');
    expect(await shell.signedInUser()).toBe('Ava Thompson');
    await new Shell(second).signOut();
    await secondSignIn.expectVisible();
    await shell.page.reload();
    expect(await shell.signedInUser()).toBe('Ava Thompson');
  });
});

test('after 15 minutes without activity the window is signed out, says why, and its calls are refused with the reason', async ({
  signIn,
  page,
}) => {
  await signIn.signInAs('ava');
  await advanceClock(page, 16, { keepSessions: false });
  await signIn.expectVisible();
  await expect(signIn.notice).toContainText('You were signed out after a period without activity.');
  // Whatever the screen shows, the main process refuses the window's calls, with the reason.
  const answer = await page.evaluate(
    (serial) =>
      (window as unknown as { giftdesk: { cards: { lookup(input: { serial: string }): Promise<unknown> } } }).giftdesk.cards.lookup({ serial }),
    demo.cards.activeUS.serial,
  );
  expect(answer).toMatchObject({
    ok: false,
    error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('after a period without activity') },
  });
  await signIn.signInAs('ava');
});

test('an idle window returns to the sign-in screen by itself', async ({ signIn, shell, page }) => {
  await signIn.signInAs('sam');
  await expect(shell.nav).toBeVisible();
  await advanceClock(page, 16, { keepSessions: false });
  // No click, no key: the main process notices and pushes session:ended to the window.
  await expect(signIn.notice).toContainText('You were signed out after a period without activity.');
});
