/**
 * Main → renderer events through the real preload's `giftdesk.on`: the main process
 * pushes them (`webContents.send`), no window polls for them.
 */
import { CHANGE_CHECK_INTERVAL_MS } from '../../electron/ipc/events';
import { expect, test } from './fixtures';
import { SignInPage } from './pages/SignInPage';
import { advanceClock } from './support/clock';
import { demo } from './support/demo';
import { collectEvents, receivedEvents } from './support/events';
import { callFromPage } from './support/pageCalls';

// Changes made in this console are pushed right after the call, well before the interval.
const PROMPTLY = { timeout: CHANGE_CHECK_INTERVAL_MS - 1000 };

test('a request, its approval and an idle lock reach the windows they concern as they happen', async ({ app, signIn, page }) => {
  await signIn.signInAs('sam');
  await collectEvents(page);

  const agent = await app.newWindow();
  await new SignInPage(agent).signInAs('ava');
  await collectEvents(agent);

  const request = await callFromPage<{ id: number }>(agent, 'credits', 'request', {
    accountId: demo.accounts.usCustomer.id,
    amountMinor: 1500,
    currency: 'USD',
    reason: 'GOODWILL',
    ticketId: 'T-7001',
    idempotencyKey: 'events-spec-request-1',
  });
  await expect.poll(() => receivedEvents(page), PROMPTLY).toContainEqual({ event: 'credits:changed', payload: { requestIds: [request.id] } });

  await callFromPage(page, 'credits', 'approve', { requestId: request.id, idempotencyKey: 'events-spec-approve-1' });
  await expect
    .poll(() => receivedEvents(agent), PROMPTLY)
    .toContainEqual({ event: 'credits:decided', payload: { requestId: request.id, status: 'approved' } });
  // Only the requester hears of the decision; the supervisor's window hears of the change.
  expect((await receivedEvents(page)).filter((e) => e.event === 'credits:decided')).toEqual([]);
  expect(await receivedEvents(page)).toContainEqual({ event: 'credits:changed', payload: { requestIds: [request.id] } });

  await advanceClock(page, 16, { keepSessions: false });
  const ended = { event: 'session:ended', payload: { reason: 'idle', message: expect.stringContaining('period without activity') } };
  await expect.poll(() => receivedEvents(page), PROMPTLY).toContainEqual(ended);
  await expect.poll(() => receivedEvents(agent), PROMPTLY).toContainEqual(ended);
});

test('an unsubscribed listener hears nothing more, and a window nobody signed in to hears no credit news', async ({ app, signIn, page }) => {
  const idle = await app.newWindow();
  await new SignInPage(idle).expectVisible();
  await collectEvents(idle);

  await signIn.signInAs('ava');
  await page.evaluate(() => {
    const w = window as unknown as { giftdesk: { on(e: string, l: () => void): () => void }; __count: number };
    w.__count = 0;
    const off = w.giftdesk.on('credits:changed', () => {
      w.__count += 1;
      off();
    });
  });
  await collectEvents(page);

  const first = await callFromPage<{ id: number }>(page, 'credits', 'request', {
    accountId: demo.accounts.usCustomer.id,
    amountMinor: 900,
    currency: 'USD',
    reason: 'GOODWILL',
    ticketId: 'T-7002',
    idempotencyKey: 'events-spec-request-2',
  });
  await expect.poll(() => receivedEvents(page), PROMPTLY).toContainEqual({ event: 'credits:changed', payload: { requestIds: [first.id] } });
  await callFromPage(page, 'credits', 'cancel', { requestId: first.id });
  await expect.poll(async () => (await receivedEvents(page)).filter((e) => e.event === 'credits:changed').length, PROMPTLY).toBe(2);
  // Unsubscribed after the first event: one count, not two.
  expect(await page.evaluate(() => (window as unknown as { __count: number }).__count)).toBe(1);
  // The requester's own cancellation is a change, not news of a decision.
  expect((await receivedEvents(page)).filter((e) => e.event === 'credits:decided')).toEqual([]);
  expect(await receivedEvents(idle)).toEqual([]);
});
