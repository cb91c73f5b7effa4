/**
 * Team mode: a change made on one console (its own main process) reaches the windows of
 * another console on the same PostgreSQL store within the documented interval, with
 * nobody on the receiving console doing anything. Runs in the `team` project only.
 */
import { CHANGE_CHECK_INTERVAL_MS } from '../../electron/ipc/events';
import { expect, test } from './fixtures';
import { SignInPage } from './pages/SignInPage';
import { demo } from './support/demo';
import { collectEvents, receivedEvents } from './support/events';
import { callFromPage } from './support/pageCalls';

// The interval, plus time for the query, the push and a loaded machine.
const WITHIN_THE_BOUND = { timeout: CHANGE_CHECK_INTERVAL_MS + 3000 };

test('a request made on another console reaches a supervisor here, and the decision reaches the requester there', async ({
  signIn,
  page,
  anotherConsole,
}) => {
  await signIn.signInAs('sam');
  await collectEvents(page);

  const there = await (await anotherConsole()).firstWindow();
  await new SignInPage(there).signInAs('ava');
  await collectEvents(there);

  const request = await callFromPage<{ id: number }>(there, 'credits', 'request', {
    accountId: demo.accounts.usCustomer.id,
    amountMinor: 2500,
    currency: 'USD',
    reason: 'SERVICE_RECOVERY',
    ticketId: 'T-7101',
    idempotencyKey: 'events-team-request-1',
  });
  const askedAt = Date.now();
  await expect
    .poll(() => receivedEvents(page), WITHIN_THE_BOUND)
    .toContainEqual({ event: 'credits:changed', payload: { requestIds: [request.id] } });
  expect(Date.now() - askedAt).toBeLessThan(CHANGE_CHECK_INTERVAL_MS + 3000);

  await callFromPage(page, 'credits', 'approve', { requestId: request.id, idempotencyKey: 'events-team-approve-1' });
  await expect
    .poll(() => receivedEvents(there), WITHIN_THE_BOUND)
    .toContainEqual({ event: 'credits:decided', payload: { requestId: request.id, status: 'approved' } });
  expect((await receivedEvents(page)).filter((e) => e.event === 'credits:decided')).toEqual([]);
});
