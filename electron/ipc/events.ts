/**
 * Main → renderer events (the contract's `events` map): the publisher, and what makes
 * the main process publish.
 *
 *  - `session:ended`: when the main process ends a window's session (idle, past its
 *    lifetime, or its user deactivated) — found by the idle check below or by the
 *    wrapper on that window's own call.
 *  - `credits:changed` / `credits:decided`: derived from what the store recorded (see
 *    creditChanges.ts), so changes made by this process, by another console on the same
 *    team database or by the CLI are pushed the same way.
 *
 * The checks run right after every successful non-passive call handled here (the
 * wrapper's `afterCall`) and every `CHANGE_CHECK_INTERVAL_MS` for changes made
 * elsewhere. No Electron here: main.ts injects the transport
 * (`webContents.fromId(id)?.send(event, payload)`), tests a recorder.
 */
import { isEventName, type Channel, type EventName, type EventPayload } from '../../shared/contract';
import type { ServiceDeps } from '../services/context';
import { CreditChangeWatcher } from './creditChanges';
import { END_MESSAGES, lockIdleSessions, type CallerKey, type SessionStore } from './sessions';

/** Delivers one event to one window (Electron: `webContents.send`). May throw for a window that is gone. */
export type EventTransport = (windowId: number, event: EventName, payload: unknown) => void;

export type EventLog = (message: string, error?: unknown) => void;

/**
 * The bound for changes made elsewhere (another console, the CLI): they reach this
 * console's windows within this interval, or at once after any call made here.
 */
export const CHANGE_CHECK_INTERVAL_MS = 5_000;

export class EventPublisher {
  constructor(
    private readonly transport: EventTransport,
    private readonly log: EventLog,
  ) {}

  /** Sends a contract event to one window; any other name is a programming error and throws. */
  send<E extends EventName>(windowId: number, event: E, payload: EventPayload<E>): void {
    if (typeof event !== 'string' || !isEventName(event)) throw new TypeError(`not a Giftdesk event: ${String(event)}`);
    try {
      this.transport(windowId, event, payload);
    } catch (error) {
      // The window closed between the check and the send: nothing to tell it.
      this.log(`could not send ${event} to window ${windowId}`, error);
    }
  }
}

export interface EventPushOptions {
  sessions: SessionStore;
  /** The open store, or null while there is none (the checks then wait for one). */
  deps(): ServiceDeps | null;
  transport: EventTransport;
  log: EventLog;
  /** How often to look for changes made elsewhere; null: only after calls (tests). */
  intervalMs?: number | null;
  /**
   * Ends the sessions that must end (default: `lockIdleSessions`, for sessions this
   * process holds). The team server passes its own: it re-checks each subscriber's
   * database session through the wrapper's checks.
   */
  endSessions?(deps: ServiceDeps): Promise<unknown>;
}

export interface EventPush {
  readonly publisher: EventPublisher;
  /** The wrapper's hook: a call here may have changed something. */
  afterCall(channel: Channel, key: CallerKey): void;
  /** Runs the idle check and the change watcher now; resolves when done, never rejects. */
  check(): Promise<void>;
  /** Resolves once every check started so far has finished. */
  settled(): Promise<void>;
  /** Stops the interval and waits for running checks. */
  stop(): Promise<void>;
}

export function startEventPush(options: EventPushOptions): EventPush {
  const { sessions, log } = options;
  const publisher = new EventPublisher(options.transport, log);
  const unsubscribe = sessions.onEnd((windowId, _session, reason) =>
    publisher.send(windowId, 'session:ended', { reason, message: END_MESSAGES[reason] }),
  );
  const watcher = new CreditChangeWatcher({ sessions, publisher, log, db: () => options.deps()?.db ?? null });
  const running = new Set<Promise<void>>();
  let stopped = false;

  function check(): Promise<void> {
    if (stopped) return Promise.resolve();
    const deps = options.deps();
    // The idle sessions are ended synchronously here, before anything awaits.
    const idle = deps ? (options.endSessions ? options.endSessions(deps) : lockIdleSessions(sessions, deps, log)) : null;
    const work = Promise.all([idle, watcher.check()]).then(
      () => undefined,
      (error: unknown) => log('the event check failed', error),
    );
    running.add(work);
    void work.finally(() => running.delete(work));
    return work;
  }

  async function settled(): Promise<void> {
    while (running.size > 0) await Promise.allSettled(running);
  }

  const timer = options.intervalMs ? setInterval(() => void check(), options.intervalMs) : null;
  // The interval alone never keeps the process alive.
  timer?.unref?.();
  // Start the watcher at the store's current head: history is not replayed.
  void check();

  return {
    publisher,
    afterCall: () => void check(),
    check,
    settled,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      unsubscribe();
      await settled();
    },
  };
}
