/**
 * The main process of a console whose store is a team server. It holds each window's
 * session token (the renderer never sees one), forwards the window's checked calls with
 * it, and relays the server's events for that session to the window — through the same
 * `EventPublisher` (and so the same `giftdesk.on(...)`) as a console with its own store.
 * No Electron here: main.ts injects the event transport.
 */
import { isEventName, type Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import type { EventPublisher } from '../ipc/events';
import type { ServerClient } from './client';

export interface RemoteConsoleOptions {
  client: ServerClient;
  publisher: EventPublisher;
  log(message: string, error?: unknown): void;
  /** Wait before reopening an event stream that closed or failed (ms; default 1 000, doubling to 15 000). */
  reconnectMs?: number;
}

interface WindowSession {
  token: string;
  stream: AbortController;
}

export class RemoteConsole {
  private readonly windows = new Map<number, WindowSession>();
  private readonly reconnectMs: number;

  constructor(private readonly options: RemoteConsoleOptions) {
    this.reconnectMs = options.reconnectMs ?? 1_000;
  }

  /** Whether this window has a session on the server (tests). */
  hasSession(windowId: number): boolean {
    return this.windows.has(windowId);
  }

  /** Forwards one checked call for a window; transport failures throw AppError('STORE_UNAVAILABLE'). */
  async call(windowId: number, channel: Channel, input: unknown): Promise<Envelope<unknown>> {
    const held = this.windows.get(windowId);
    const { envelope, token } = await this.options.client.call(channel, input, held?.token ?? null);
    if (envelope.ok && token) {
      // A call that opened a session (a sign-in, the first admin's creation) comes back with its
      // token, and replaces the window's session: the old one is signed out on the server.
      if (held) void this.release(windowId, held, true);
      this.adopt(windowId, token);
    } else if (channel === 'session:signOut' && held && envelope.ok) {
      this.release(windowId, held, false);
    } else if (held && !envelope.ok && envelope.error.code === 'UNAUTHENTICATED') {
      // The server ended the session (idle, lifetime, deactivated, signed out elsewhere).
      this.release(windowId, held, false);
    }
    return envelope;
  }

  /** The window closed: its session ends on the server too (best effort, never throws). */
  async windowClosed(windowId: number): Promise<void> {
    const held = this.windows.get(windowId);
    if (held) await this.release(windowId, held, true);
  }

  /** Every window's stream stops and every session is signed out (quitting). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.windows.entries()].map(([windowId, held]) => this.release(windowId, held, true)));
  }

  private adopt(windowId: number, token: string): void {
    const held: WindowSession = { token, stream: new AbortController() };
    this.windows.set(windowId, held);
    void this.listen(windowId, held);
  }

  private async release(windowId: number, held: WindowSession, signOut: boolean): Promise<void> {
    if (this.windows.get(windowId) === held) this.windows.delete(windowId);
    held.stream.abort();
    if (!signOut) return;
    try {
      await this.options.client.call('session:signOut', {}, held.token);
    } catch (error) {
      this.options.log(`could not sign window ${windowId} out on the server`, error);
    }
  }

  /** Relays the session's events to the window while the session lasts, reopening a dropped stream. */
  private async listen(windowId: number, held: WindowSession): Promise<void> {
    let wait = this.reconnectMs;
    const signal = held.stream.signal;
    while (!signal.aborted) {
      let outcome: 'closed' | 'ended' | 'failed';
      try {
        outcome = await this.options.client.events(
          held.token,
          (event, payload) => {
            wait = this.reconnectMs;
            if (isEventName(event)) this.options.publisher.send(windowId, event, payload as never);
          },
          signal,
        );
      } catch (error) {
        this.options.log(`the event stream of window ${windowId} failed`, error);
        outcome = 'failed';
      }
      if (signal.aborted) return;
      // The server no longer serves this session: the token stays until the window's next
      // call, whose answer says why (idle, lifetime, deactivated …).
      if (outcome === 'ended') return;
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 15_000);
    }
  }
}
