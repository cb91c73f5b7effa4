import type { Page } from '@playwright/test';
import type { EventName, GiftdeskApi } from '../../../shared/contract';

export interface ReceivedEvent {
  event: EventName;
  payload: unknown;
}

type EventWindow = Window & { giftdesk: GiftdeskApi; __receivedEvents?: ReceivedEvent[] };

/**
 * Subscribes the page to every contract event through `window.giftdesk.on` (the real
 * preload's API), collecting what arrives in order.
 */
export async function collectEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as EventWindow;
    const received: ReceivedEvent[] = (w.__receivedEvents = []);
    for (const event of ['session:ended', 'credits:changed', 'credits:decided'] as const) {
      w.giftdesk.on(event, (payload) => received.push({ event, payload }));
    }
  });
}

/** What the page has received since `collectEvents`. */
export function receivedEvents(page: Page): Promise<ReceivedEvent[]> {
  return page.evaluate(() => (window as unknown as EventWindow).__receivedEvents ?? []);
}
