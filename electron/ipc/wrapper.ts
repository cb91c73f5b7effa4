/**
 * The ONE wrapper every IPC handler runs through: check the sender frame's origin,
 * the session (and idle lock) and the role, parse the input with the contract's
 * schema, call the handler, and answer `{ ok: true, data }` or
 * `{ ok: false, error: { code, message, details? } }`. Nothing throws across IPC and
 * no stack trace reaches the renderer. No other code calls `ipcMain.handle`.
 */
import { channelInput, channels, contract, type Channel, type Contract, type OutputOf, type ParsedInputOf } from '../../shared/contract';
import { AppError, isAppError, type Envelope, type ErrorCode, type ErrorDetails } from '../../shared/errors';
import { currentRole, recordSignOut } from '../services/auth';
import type { Actor, ServiceDeps } from '../services/context';
import { actorOf, END_MESSAGES, type EndReason, type Session, type SessionStore } from './sessions';

/** The parts of Electron's IpcMainInvokeEvent the wrapper reads. */
export interface IpcEventLike {
  sender: { id: number };
  /** Electron's WebFrameMain: `parent` is null only for a window's main frame. */
  senderFrame?: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
}

interface ContextBase {
  deps: ServiceDeps;
  windowId: number;
  sessions: SessionStore;
  appVersion: string;
}

type SignedIn = { session: Session; actor: Actor };
type MaybeSignedIn = { session: Session | null; actor: Actor | null };

/**
 * What a handler gets. Only a public channel runs without a session; every other one
 * has its actor by type (the wrapper has checked the session and the role).
 */
export type CallContext<C extends Channel> = ContextBase & (Contract[C]['roles'] extends 'public' ? MaybeSignedIn : SignedIn);

export type Handler<C extends Channel> = (ctx: CallContext<C>, input: ParsedInputOf<C>) => Promise<OutputOf<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

export interface WrapperOptions {
  handlers: Handlers;
  sessions: SessionStore;
  /** The running services, or a thrown AppError('STORE_UNAVAILABLE') saying why not. */
  deps(): Promise<ServiceDeps>;
  isTrustedSender(frameUrl: string): boolean;
  /** Whether test-only channels may run (GIFTDESK_TEST_HOOKS=1 in an unpackaged app). */
  testHooks(): boolean;
  appVersion: string;
  log(channel: string, error: unknown): void;
  /** After each successful non-passive call (the main process checks for changes to push). */
  afterCall?(channel: Channel, windowId: number): void;
}

export const INTERNAL_MESSAGE =
  'Giftdesk could not complete this action because of an internal error. Nothing was changed by the failed step; try again, and tell your administrator if it keeps happening.';

function fail(code: ErrorCode, message: string, details?: ErrorDetails): Envelope<never> {
  return { ok: false, error: new AppError(code, message, details).toBody() };
}

/** Ends the window's session for `reason` (which tells the window) and puts the end on record. */
async function endSession(windowId: number, session: Session, reason: EndReason, options: WrapperOptions, deps: ServiceDeps) {
  // Only the caller that actually removed it records the end (a concurrent call may have).
  if (options.sessions.end(windowId, reason)) await recordSignOut(deps, actorOf(session), reason);
}

/**
 * Mandatory session checks: present, not idle, within its lifetime, its user still
 * active (re-read by primary key on every call, so a deactivation or a role change made
 * by an admin, the CLI or another console takes effect on the next call), role allowed.
 */
async function checkSession(
  channel: Channel,
  windowId: number,
  options: WrapperOptions,
  deps: ServiceDeps,
): Promise<{ session: Session | null } | { refusal: Envelope<never> }> {
  const spec = contract[channel];
  let session = options.sessions.get(windowId);
  const now = deps.clock.now();
  const timedOut = session && options.sessions.timedOut(session, now);
  if (session && timedOut) {
    await endSession(windowId, session, timedOut, options, deps);
    session = null;
  }
  if (session) {
    const role = await currentRole(deps, session.user.id);
    if (!role) {
      await endSession(windowId, session, 'deactivated', options, deps);
      session = null;
    } else if (role !== session.user.role) {
      // The session object is the window's: the new role holds for this call and the next.
      session.user = { ...session.user, role };
    }
  }
  if (spec.roles === 'public') return { session };
  if (!session) {
    const ended = options.sessions.endedReason(windowId);
    return {
      refusal: ended
        ? fail('UNAUTHENTICATED', END_MESSAGES[ended], { reason: ended })
        : fail('UNAUTHENTICATED', 'Sign in first.'),
    };
  }
  if (!(spec.roles as readonly string[]).includes(session.user.role)) {
    return { refusal: fail('FORBIDDEN', 'Your role does not allow this action.', { role: session.user.role }) };
  }
  return { session };
}

export async function dispatch(
  channel: Channel,
  event: IpcEventLike,
  rawInput: unknown,
  options: WrapperOptions,
): Promise<Envelope<unknown>> {
  try {
    // Only the window's main frame, showing the app's origin, may call: never an iframe.
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !options.isTrustedSender(frame.url)) {
      return fail('FORBIDDEN', 'This window is not allowed to use Giftdesk channels.');
    }
    // In a release build the whole test-hook path is gone (`false &&` folds away).
    if (__GIFTDESK_TEST_BUILD__ && (contract[channel] as { testOnly?: true }).testOnly && !options.testHooks()) {
      return fail('FORBIDDEN', 'Test hooks are off: this channel exists only for automated tests.');
    }
    const deps = await options.deps();
    const windowId = event.sender.id;
    const checked = await checkSession(channel, windowId, options, deps);
    if ('refusal' in checked) return checked.refusal;
    const { session } = checked;

    const parsed = channelInput(channel).safeParse(rawInput);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(input)',
        message: issue.message,
      }));
      return fail('VALIDATION_FAILED', fields[0]?.message ?? 'The input is not valid.', { fields });
    }
    if (session && !(contract[channel] as { passive?: true }).passive) session.lastActiveAt = deps.clock.now();
    // checkSession let a non-public channel through only with a session, as its handler's type says.
    const handler = options.handlers[channel] as unknown as (ctx: ContextBase & MaybeSignedIn, input: unknown) => Promise<unknown>;
    const data = await handler(
      {
        deps,
        windowId,
        session,
        actor: session ? actorOf(session) : null,
        sessions: options.sessions,
        appVersion: options.appVersion,
      },
      parsed.data,
    );
    if (!(contract[channel] as { passive?: true }).passive) options.afterCall?.(channel, windowId);
    return { ok: true, data };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.toBody() };
    options.log(channel, error);
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}

/** Registers every contract channel, and only those, through `dispatch`. */
export function registerChannels(ipc: IpcMainLike, options: WrapperOptions): void {
  for (const channel of channels) {
    ipc.handle(channel, (event, input) => dispatch(channel, event, input, options));
  }
}
