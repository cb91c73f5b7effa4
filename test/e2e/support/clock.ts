import type { Page } from '@playwright/test';

type AdvanceClock = (input: { minutes: number; keepSessions: boolean }) => Promise<{ ok: boolean; data?: { now: string } }>;

/**
 * Moves the console's clock forward through the test-only channel (the app runs with
 * GIFTDESK_TEST_HOOKS=1 in the specs; a packaged app refuses it). By default the jump
 * does not count as idle time for signed-in windows; `keepSessions: false` lets the
 * idle lock see it.
 */
export async function advanceClock(page: Page, minutes: number, options: { keepSessions?: boolean } = {}): Promise<string> {
  const answer = await page.evaluate(
    (input) => (window as unknown as { giftdesk: { test: { advanceClock: AdvanceClock } } }).giftdesk.test.advanceClock(input),
    { minutes, keepSessions: options.keepSessions ?? true },
  );
  if (!answer.ok || !answer.data) throw new Error(`the clock did not move: ${JSON.stringify(answer)}`);
  return answer.data.now;
}
