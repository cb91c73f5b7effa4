/**
 * Two team server processes on one database (as behind a load balancer), one console
 * on each: what is decided through one server is in force through the other — a sign-in
 * lockout, an idle lock, an approval — and two supervisors racing one approval through
 * different servers post it once. Runs in the `team` project only.
 */
import type { Page } from '@playwright/test';
import type { AccountDetails } from '../../shared/types';
import { expect, test } from './fixtures';
import { AuditPage } from './pages/AuditPage';
import { ApprovalsPage, CreditsPage } from './pages/CreditsPage';
import { Shell } from './pages/Shell';
import { SignInPage } from './pages/SignInPage';
import { advanceClock } from './support/clock';
import { demo } from './support/demo';
import { callFromPage } from './support/pageCalls';

const us = demo.accounts.usCustomer.id;

/** A console of a second `giftdesk serve` on the test's database: its first window. */
async function consoleOnSecondServer(
  team: { startServer(): Promise<{ url: string }> },
  anotherConsole: (options: { server: { url: string } }) => Promise<{ firstWindow(): Promise<Page> }>,
): Promise<Page> {
  const second = await team.startServer();
  const page = await (await anotherConsole({ server: second })).firstWindow();
  // Settled before the test goes on: the new server's first answers cost it a few scrypt
  // verifications (the demo sign-in list), which on a busy machine would slow the first
  // console's sign-in past its timeout.
  const signIn = new SignInPage(page);
  await signIn.expectVisible();
  await expect(signIn.demoUsers).toBeVisible();
  return page;
}

test('a sign-in lockout through one server applies through the other', async ({ team, signIn, anotherConsole }) => {
  const other = new SignInPage(await consoleOnSecondServer(team, anotherConsole));
  for (let i = 1; i <= 5; i++) await signIn.attempt('sky', `guess-${i}`);
  await expect(signIn.error).toContainText('Signing in is locked');

  await other.signIn('sky', demo.users.sky.password);
  await expect(other.error).toContainText('Signing in is locked');
});

test('an idle lock enforced through one server signs the window of the other out, saying why', async ({ team, signIn, page, anotherConsole }) => {
  const otherPage = await consoleOnSecondServer(team, anotherConsole);
  const other = new SignInPage(otherPage);
  await signIn.signInAs('sam');
  await other.signInAs('ava');
  await expect(new Shell(otherPage).nav).toBeVisible();

  // The first server's clock moves past the idle lock: it ends every idle session on record,
  // the other server's included; the second server hears it from the database.
  await advanceClock(page, 16, { keepSessions: false });
  await expect(signIn.notice).toContainText('You were signed out after a period without activity.');
  await expect(other.notice).toContainText('You were signed out after a period without activity.');
});

test('a request made through one server is approved through the other, and the requester sees it there', async ({
  team,
  signIn,
  shell,
  page,
  anotherConsole,
}) => {
  // The agent on the second server requests; the supervisor on the first approves.
  const agentPage = await consoleOnSecondServer(team, anotherConsole);
  await new SignInPage(agentPage).signInAs('ava');
  const agentShell = new Shell(agentPage);
  await agentShell.open('Credits');
  const credits = new CreditsPage(agentPage);
  await credits.newRequest.click();
  await credits.dialog.request({ account: us, amount: '18', reason: 'Goodwill', ticketId: 'T-8801' });
  await expect(credits.row('T-8801')).toContainText('Pending');

  await signIn.signInAs('sam');
  await shell.open('Approvals');
  const approvals = new ApprovalsPage(page);
  await expect(approvals.item('T-8801')).toContainText('Requested by Ava Thompson');
  await approvals.approve('T-8801', 'Approved through the first server');
  await expect(page.getByText('Credit approved and posted')).toBeVisible();

  // The decision reaches the requester's window through the second server, unasked.
  await expect(credits.row('T-8801')).toContainText('Approved');
  await expect(credits.row('T-8801')).toContainText('by sam');
});

test('two supervisors racing one approval through different servers post it once', async ({ app, team, signIn, page, anotherConsole }) => {
  const skyPage = await consoleOnSecondServer(team, anotherConsole);
  await Promise.all([signIn.signInAs('sam'), new SignInPage(skyPage).signInAs('sky')]);
  const agentPage = await app.newWindow();
  await new SignInPage(agentPage).signInAs('ava');
  const before = await callFromPage<AccountDetails>(agentPage, 'accounts', 'get', { accountId: us });
  const request = await callFromPage<{ id: number }>(agentPage, 'credits', 'request', {
    accountId: us,
    amountMinor: 2_000,
    currency: 'USD',
    reason: 'SERVICE_RECOVERY',
    ticketId: 'T-8802',
    idempotencyKey: 'two-servers-race-request',
  });

  const approve = (p: Page, key: string) =>
    p.evaluate(
      ([requestId, idempotencyKey]) =>
        (window as unknown as { giftdesk: { credits: { approve(i: object): Promise<{ ok: boolean }> } } }).giftdesk.credits.approve({
          requestId,
          idempotencyKey,
        }),
      [request.id, key] as const,
    );
  const answers = await Promise.all([approve(page, 'race-through-server-1'), approve(skyPage, 'race-through-server-2')]);
  expect(answers.filter((a) => a.ok)).toHaveLength(1);

  // One ledger entry and one approval on record, whoever won.
  const after = await callFromPage<AccountDetails>(agentPage, 'accounts', 'get', { accountId: us });
  expect(after.balanceMinor - before.balanceMinor).toBe(2_000);
  expect(after.ledger.filter((e) => e.ticketId === 'T-8802')).toHaveLength(1);
  const shell = new Shell(page);
  await shell.open('Audit');
  const audit = new AuditPage(page);
  await expect(audit.rows.first()).toBeVisible();
  const approved = (await audit.entries()).filter((e) => e.action === 'credit.approved' && e.subject === String(request.id));
  expect(approved).toHaveLength(1);
  await audit.verifyButton.click();
  await expect(audit.result).toContainText('Audit chain intact');
});
