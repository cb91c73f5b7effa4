/**
 * The main process of a console whose store is a team server. It holds each window's
 * session token (the renderer never sees one), forwards the window's checked calls with
 * it, and relays the server's events for that session to the window — through the same
 * `EventPublisher` (and so the same `giftdesk.on(...)`) as a console with its own store.
 * No Electron here: main.ts injects the event transport and the save dialog.
 *
 * `audit:export` is the one call not forwarded as is: the console shows its own save
 * dialog, then the server streams the CSV (`ServerClient.exportAudit`) into a temporary
 * file beside the chosen one, renamed over it only once the server's completion trailer
 * has arrived and matched; a refusal, a failure or a broken-off stream removes the
 * temporary file, so nothing half-written is ever left under the chosen name. The server
 * reads, writes and audits the export; the row count shown is the server's.
 */
import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { isEventName, type Channel } from '../../shared/contract';
import type { Envelope } from '../../shared/errors';
import type { AuditExportResult } from '../../shared/types';
import { suggestedExportName } from '../ipc/auditExportDesk';
import type { EventPublisher } from '../ipc/events';
import { asExportError, discardTemporary, openTemporary } from '../services/auditExport';
import type { ServerClient } from './client';

export interface RemoteConsoleOptions {
  client: ServerClient;
  publisher: EventPublisher;
  log(message: string, error?: unknown): void;
  /** The native save dialog for a window, offering `suggestedName`: the chosen path, or null when it was closed. */
  chooseExportFile?(windowId: number, suggestedName: string): Promise<string | null>;
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
    if (channel === 'audit:export') return this.exportAudit(windowId, input);
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

  /** `audit:export` in a team: the save dialog here, the CSV from the server, the file whole or not at all. */
  private async exportAudit(windowId: number, input: unknown): Promise<Envelope<AuditExportResult>> {
    const held = this.windows.get(windowId);
    // No dialog for a window without a session: the server would refuse the export anyway.
    if (!held) return { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } };
    if (!this.options.chooseExportFile) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This console cannot show a save dialog, so it cannot export. Nothing was exported.' } };
    }
    const chosen = await this.options.chooseExportFile(windowId, suggestedExportName(new Date()));
    if (!chosen) return { ok: true, data: { cancelled: true } };
    const target = path.resolve(chosen);
    const fileName = path.basename(target);
    const temp = path.join(path.dirname(target), `.${fileName}.${randomBytes(6).toString('hex')}.partial`);
    let stream: Writable | undefined;
    try {
      stream = await openTemporary(temp);
      const answer = await this.options.client.exportAudit(input, fileName, held.token, stream);
      if (!answer.ok) {
        await discardTemporary(stream, temp);
        if (!answer.envelope.ok && answer.envelope.error.code === 'UNAUTHENTICATED') void this.release(windowId, held, false);
        return answer.envelope as Envelope<AuditExportResult>;
      }
      await rename(temp, target);
      return { ok: true, data: { cancelled: false, rowCount: answer.rowCount, fileName } };
    } catch (error) {
      await discardTemporary(stream, temp);
      throw asExportError(error);
    }
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
