/**
 * Calling channels from a console's page as the signed-in user, through the real preload
 * (`window.giftdesk.<domain>.<verb>`) and the main process's wrapper: what a screen's
 * call does, for specs that set up work or check a refusal without clicking through.
 */
import type { Page } from '@playwright/test';

/** A channel's answer as the page receives it. */
export interface PageAnswer<T = any> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string; details?: unknown };
}

/** Calls `channel` (e.g. `cards:redeem`) from the page and answers its envelope, refusals included. */
export function answerFromPage<T = any>(page: Page, channel: string, input: unknown): Promise<PageAnswer<T>> {
  return page.evaluate(
    ([name, payload]) => {
      const [domain, verb] = name.split(':') as [string, string];
      const giftdesk = (window as unknown as { giftdesk: Record<string, Record<string, (input: unknown) => Promise<never>>> }).giftdesk;
      return giftdesk[domain]![verb]!(payload);
    },
    [channel, input] as const,
  );
}

/** Calls a channel from the page and answers its data; throws on an error answer. */
export async function callFromPage<T>(page: Page, domain: string, verb: string, input: unknown): Promise<T> {
  const envelope = await answerFromPage<T>(page, `${domain}:${verb}`, input);
  if (!envelope.ok) throw new Error(`${domain}:${verb} answered ${JSON.stringify(envelope.error)}`);
  return envelope.data as T;
}
