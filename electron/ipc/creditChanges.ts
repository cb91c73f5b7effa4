/**
 * Credit changes, read back from the store: every credit state change appends an audit
 * entry (`credit.*`) in the transaction that makes it, so reading the audit log after
 * the last sequence number seen finds every change — made by this process, by another
 * console on the same team database, or by the CLI — with one mechanism.
 *
 * The request ids come from those entries; what happened to each request is read from
 * `credit_requests` (never guessed from an action's name). Then:
 *  - `credits:changed` {requestIds} to every signed-in window that may read credits;
 *  - `credits:decided` {requestId, status} to the requester's windows when a request was
 *    decided by someone else (approved, rejected) or expired — once per request.
 */
import type { Knex } from 'knex';
import { contract, type EventName, type EventPayload } from '../../shared/contract';
import { creditStatuses, type CreditStatus } from '../../shared/credits';
import { toInt } from '../db/values';
import type { SessionStore } from './sessions';

export interface EventSink {
  send<E extends EventName>(windowId: number, event: E, payload: EventPayload<E>): void;
}

export interface CreditChangeWatcherOptions {
  sessions: SessionStore;
  publisher: EventSink;
  /** The open store's handle, or null while there is none. */
  db(): Knex | null;
  log(message: string, error?: unknown): void;
}

/** Requests announced as decided, remembered so a later entry on them does not announce again. */
const ANNOUNCED_LIMIT = 10_000;
/** Credit audit entries that record a refusal: nothing changed. */
const REFUSAL = /refused$/i;

type Decided = Exclude<CreditStatus, 'pending'>;

function isDecided(status: unknown): status is Decided {
  return typeof status === 'string' && status !== 'pending' && (creditStatuses as readonly string[]).includes(status);
}

export class CreditChangeWatcher {
  /** The last audit sequence number looked at; null until the store's head is first read. */
  private lastSeq: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private failing = false;
  private readonly announced = new Set<number>();

  constructor(private readonly options: CreditChangeWatcherOptions) {}

  /**
   * Looks for changes now. Never runs two passes at once: asked while a pass runs, it
   * runs one more pass after it (so nothing recorded before the ask is missed) and
   * resolves when that is done. Never rejects: a failing store is logged once per
   * failing streak and retried on the next check.
   */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    const db = this.options.db();
    if (!db) return;
    try {
      await this.readChanges(db);
      if (this.failing) this.options.log('credit change watcher: the store answers again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.options.log('credit change watcher: cannot read the store; retrying on the next check', error);
      this.failing = true;
    }
  }

  private async readChanges(db: Knex): Promise<void> {
    const headRow = await db('audit_head').where({ id: 1 }).first('seq');
    const head = headRow ? toInt(headRow.seq) : 0;
    // First look (start-up), or a store that went backwards (restored): start from here.
    if (this.lastSeq === null || head < this.lastSeq) {
      this.lastSeq = head;
      return;
    }
    if (head === this.lastSeq) return;
    // The chain head is written under a lock held to commit, so every entry up to
    // `head` is committed and visible now: nothing below it can appear later.
    const entries: { action: string; subject_type: string | null; subject_id: string | null }[] = await db('audit_log')
      .where('seq', '>', this.lastSeq)
      .andWhere('seq', '<=', head)
      .andWhere('action', 'like', 'credit.%')
      .orderBy('seq')
      .select('action', 'subject_type', 'subject_id');
    const requestIds = [
      ...new Set(
        entries
          .filter((e) => e.subject_type === 'creditRequest' && e.subject_id !== null && /^\d+$/.test(e.subject_id))
          .filter((e) => !REFUSAL.test(e.action))
          .map((e) => Number(e.subject_id)),
      ),
    ].sort((a, b) => a - b);
    if (requestIds.length > 0) {
      const requests: { id: unknown; status: unknown; requester_user_id: unknown; decided_by_user_id: unknown }[] = await db(
        'credit_requests',
      )
        .whereIn('id', requestIds)
        .select('id', 'status', 'requester_user_id', 'decided_by_user_id');
      this.publish(requestIds, requests);
    }
    this.lastSeq = head;
  }

  private publish(
    requestIds: number[],
    requests: { id: unknown; status: unknown; requester_user_id: unknown; decided_by_user_id: unknown }[],
  ): void {
    const { sessions, publisher } = this.options;
    const signedIn = sessions.entries();
    const readers = contract['credits:list'].roles as readonly string[];
    for (const [windowId, session] of signedIn) {
      if (readers.includes(session.user.role)) publisher.send(windowId, 'credits:changed', { requestIds });
    }
    for (const request of requests) {
      const requestId = toInt(request.id);
      const status = request.status;
      if (!isDecided(status) || this.announced.has(requestId)) continue;
      const requester = toInt(request.requester_user_id);
      const decider = request.decided_by_user_id == null ? null : toInt(request.decided_by_user_id);
      // Your own cancellation (or rejection of your own request) is not news to you.
      if (status !== 'expired' && decider === requester) continue;
      this.remember(requestId);
      for (const [windowId, session] of signedIn) {
        if (session.user.id === requester) publisher.send(windowId, 'credits:decided', { requestId, status });
      }
    }
  }

  private remember(requestId: number): void {
    this.announced.add(requestId);
    if (this.announced.size > ANNOUNCED_LIMIT) {
      const oldest = this.announced.values().next().value;
      if (oldest !== undefined) this.announced.delete(oldest);
    }
  }
}
