/**
 * The renderer's only door to the main process: `window.giftdesk`, typed by the
 * contract. `call` unwraps an envelope into data or a `CallError`; it runs inside a
 * query or a mutation (data/), whose cache sees an UNAUTHENTICATED answer and ends
 * the session (session.tsx).
 */
import type { GiftdeskApi } from '../../shared/contract';
import type { Envelope, ErrorBody } from '../../shared/errors';

export class CallError extends Error {
  readonly code: ErrorBody['code'];
  readonly details: Record<string, unknown> | undefined;

  constructor(readonly body: ErrorBody) {
    super(body.message);
    this.code = body.code;
    this.details = body.details;
  }
}

export function bridge(): GiftdeskApi {
  const api = window.giftdesk;
  if (!api) throw new CallError({ code: 'INTERNAL', message: 'Giftdesk must be opened from the Giftdesk app.' });
  return api;
}

export async function call<T>(request: (api: GiftdeskApi) => Promise<Envelope<T>>): Promise<T> {
  let envelope: Envelope<T>;
  try {
    envelope = await request(bridge());
  } catch (error) {
    if (error instanceof CallError) throw error;
    throw new CallError({ code: 'INTERNAL', message: 'Giftdesk could not reach its main process. Try again.' });
  }
  if (envelope.ok) return envelope.data;
  throw new CallError(envelope.error);
}

export function errorMessage(error: unknown): string {
  if (error instanceof CallError) return error.message;
  return 'Something went wrong. Try again.';
}
