/**
 * The ONE wrapper every channel call runs through: check the sender frame's origin,
 * the session (and idle lock) and the role, parse the input with the contract's
 * schema, call the handler, and answer `{ ok: true, data }` or
 * `{ ok: false, error: { code, message, details? } }`. Nothing throws across IPC and
 * no stack trace reaches the renderer. No other code calls `ipcMain.handle`.
 *
 * Two transports enter it: IPC from a console window (`dispatch`: the sender-frame
 * check, then `callChannel` keyed by the window) and the team server's HTTP route
 * (`callChannel` keyed by the bearer token). Everything after the transport's own check
 * is this one code path, over the `SessionLookup` the transport was given.
 */
import type { Writable } from 'node:stream';
import { channelInput, channels, contract, type Channel, type Contract, type OutputOf, type ParsedInputOf } from '../../shared/contract';
import { AppError, isAppError, type Envelope, type ErrorCode, type ErrorDetails } from '../../shared/errors';
import { currentStanding, recordSignOut } from '../services/auth';
import type { Actor, ServiceDeps } from '../services/context';
import { actorOf, END_MESSAGES, timedOut, type CallerKey, type EndReason, type RefusalReason, type Session, type SessionLookup } from './sessions';

/** The parts of Electron's IpcMainInvokeEvent the wrapper reads. */
export interface IpcEventLike {
  sender: { id: number };
  /** Electron's WebFrameMain: `parent` is null only for a window's main frame. */
  senderFrame?: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
}

/**
 * Who calls: the key its session is found by, and (set by `session:signIn` on a token
 * store) the new credential the transport hands back to its client.
 */
export interface Caller {
  key: CallerKey;
  credential?: string;
  /**
   * Set by a transport that streams a file back to its client (the team server's
   * `/export/audit`): where a file-producing handler (`audit:export`) writes instead of
   * asking for a path, and the name the client will save it under (name only).
   */
  download?: { stream: Writable; fileName: string };
}

interface ContextBase {
  deps: ServiceDeps;
  caller: Caller;
  sessions: SessionLookup;
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
  sessions: SessionLookup;
  /** The running services, or a thrown AppError('STORE_UNAVAILABLE') saying why not. */
  deps(): Promise<ServiceDeps>;
  isTrustedSender(frameUrl: string): boolean;
  /** Whether test-only channels may run (GIFTDESK_TEST_HOOKS=1 in an unpackaged app). */
  testHooks(): boolean;
  appVersion: string;
  log(channel: string, error: unknown): void;
  /** After each successful non-passive call (the main process checks for changes to push). */
  afterCall?(channel: Channel, key: CallerKey): void;
}

export const INTERNAL_MESSAGE =
  'Giftdesk could not complete this action because of an internal error. Nothing was changed by the failed step; try again, and tell your administrator if it keeps happening.';

function fail(code: ErrorCode, message: string, details?: ErrorDetails): Envelope<never> {
  return { ok: false, error: new AppError(code, message, details).toBody() };
}

/** Ends the caller's session for `reason` (which tells the window) and puts the end on record. */
async function endSession(key: CallerKey, session: Session, reason: EndReason, options: WrapperOptions, deps: ServiceDeps) {
  // Only the caller that actually ended it records the end (a concurrent call, or another server process, may have).
  if (await options.sessions.end(key, reason)) await recordSignOut(deps, actorOf(session), reason);
}

export type SessionCheck = { session: Session } | { session: null; ended: RefusalReason | null };

/**
 * The caller's session after the mandatory checks: present, not idle, within its
 * lifetime, its user still active (re-read by primary key on every call, so a
 * deactivation or a role change made by an admin, the CLI, another console or another
 * server process takes effect on the next call). A session that fails one is ended
 * here; the answer then says why the caller has none.
 */
export async function resolveSession(key: CallerKey, options: WrapperOptions, deps: ServiceDeps): Promise<SessionCheck> {
  let session = await options.sessions.get(key);
  const expiredBy = session && timedOut(session, deps.clock.now());
  if (session && expiredBy) {
    await endSession(key, session, expiredBy, options, deps);
    session = null;
  }
  if (session) {
    const standing = await currentStanding(deps, session.user.id);
    if (!standing) {
      await endSession(key, session, 'deactivated', options, deps);
      session = null;
    } else {
      // The in-memory store's session object is the window's: the new role holds for this call and the next.
      if (standing.role !== session.user.role) session.user = { ...session.user, role: standing.role };
      // A password reset by an admin takes the session's power at once, as a temporary password's sign-in has none.
      session.mustChangePassword = standing.mustChangePassword;
      // So is an admin's grant or withdrawal of the reveal permission (what `session:current` says).
      session.canReveal = standing.canReveal;
    }
  }
  return session ? { session } : { session: null, ended: await options.sessions.endedReason(key) };
}

/** The refusal for a caller without a session: why it has none, when known. */
export function unauthenticated(ended: RefusalReason | null): Envelope<never> {
  return ended ? fail('UNAUTHENTICATED', END_MESSAGES[ended], { reason: ended }) : fail('UNAUTHENTICATED', 'Sign in first.');
}

/**
 * What a session whose user must replace a temporary password may still call (besides
 * public channels, which never use a session's power): the change itself and signing out.
 */
export const ALLOWED_BEFORE_PASSWORD_CHANGE: ReadonlySet<Channel> = new Set<Channel>(['session:changePassword', 'session:signOut']);

export const PASSWORD_CHANGE_REQUIRED_MESSAGE =
  'You are signed in with a temporary password. Choose a new password before doing anything else.';

/** The session checks, then the must-change gate, then the channel's roles. */
async function checkSession(
  channel: Channel,
  key: CallerKey,
  options: WrapperOptions,
  deps: ServiceDeps,
): Promise<{ session: Session | null } | { refusal: Envelope<never> }> {
  const spec = contract[channel];
  const checked = await resolveSession(key, options, deps);
  if (spec.roles === 'public') return { session: checked.session };
  if (!checked.session) return { refusal: unauthenticated(checked.ended) };
  const { session } = checked;
  if (session.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(channel)) {
    return { refusal: fail('PASSWORD_CHANGE_REQUIRED', PASSWORD_CHANGE_REQUIRED_MESSAGE) };
  }
  if (!(spec.roles as readonly string[]).includes(session.user.role)) {
    return { refusal: fail('FORBIDDEN', 'Your role does not allow this action.', { role: session.user.role }) };
  }
  return { session };
}

/** Whether a test-only channel is refused here (always outside a test build; there, unless test hooks are on). */
export function testChannelRefused(channel: Channel, options: Pick<WrapperOptions, 'testHooks'>): boolean {
  // In a release build the whole test-hook path is gone (`false &&` folds away).
  return Boolean((contract[channel] as { testOnly?: true }).testOnly) && !(__GIFTDESK_TEST_BUILD__ && options.testHooks());
}

/**
 * A console of a team server: the window's calls go to the server, which runs the
 * session, role and service checks (the same `callChannel` there). The console keeps
 * its own sender-frame check, test-hook rule and input check in front of it.
 */
export interface ForwardOptions {
  isTrustedSender(frameUrl: string): boolean;
  testHooks(): boolean;
  log(channel: string, error: unknown): void;
  /** Sends the checked call for `windowId` to the server; transport failures throw AppError. */
  forward(channel: Channel, windowId: number, input: unknown): Promise<Envelope<unknown>>;
}

/** The contract's input check for a channel: the parsed input, or the VALIDATION_FAILED answer. */
function parseInput(channel: Channel, rawInput: unknown): { data: unknown } | { refusal: Envelope<never> } {
  const parsed = channelInput(channel).safeParse(rawInput);
  if (parsed.success) return { data: parsed.data };
  const fields = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
  return { refusal: fail('VALIDATION_FAILED', fields[0]?.message ?? 'The input is not valid.', { fields }) };
}

/** An IPC call from a console window: the sender-frame check, then the call keyed by the window (or forwarded to the team server). */
export async function dispatch(
  channel: Channel,
  event: IpcEventLike,
  rawInput: unknown,
  options: WrapperOptions | ForwardOptions,
): Promise<Envelope<unknown>> {
  // Only the window's main frame, showing the app's origin, may call: never an iframe.
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !options.isTrustedSender(frame.url)) {
    return fail('FORBIDDEN', 'This window is not allowed to use Giftdesk channels.');
  }
  if (!('forward' in options)) return callChannel(channel, { key: event.sender.id }, rawInput, options);
  try {
    if (__GIFTDESK_TEST_BUILD__ && testChannelRefused(channel, options)) {
      return fail('FORBIDDEN', 'Test hooks are off: this channel exists only for automated tests.');
    }
    const input = parseInput(channel, rawInput);
    if ('refusal' in input) return input.refusal;
    return await options.forward(channel, event.sender.id, input.data);
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.toBody() };
    options.log(channel, error);
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}

/** A call whose transport has done its own check: session, role, input, handler, envelope. */
export async function callChannel(
  channel: Channel,
  caller: Caller,
  rawInput: unknown,
  options: WrapperOptions,
): Promise<Envelope<unknown>> {
  try {
    // In a release build the whole test-hook path is gone (`false &&` folds away, message included).
    if (__GIFTDESK_TEST_BUILD__ && testChannelRefused(channel, options)) {
      return fail('FORBIDDEN', 'Test hooks are off: this channel exists only for automated tests.');
    }
    const deps = await options.deps();
    const checked = await checkSession(channel, caller.key, options, deps);
    if ('refusal' in checked) return checked.refusal;
    const { session } = checked;

    const parsed = parseInput(channel, rawInput);
    if ('refusal' in parsed) return parsed.refusal;
    const passive = Boolean((contract[channel] as { passive?: true }).passive);
    if (session && !passive) await options.sessions.touch(caller.key, session, deps.clock.now());
    // checkSession let a non-public channel through only with a session, as its handler's type says.
    const handler = options.handlers[channel] as unknown as (ctx: ContextBase & MaybeSignedIn, input: unknown) => Promise<unknown>;
    const data = await handler(
      {
        deps,
        caller,
        session,
        actor: session ? actorOf(session) : null,
        sessions: options.sessions,
        appVersion: options.appVersion,
      },
      parsed.data,
    );
    if (!passive) options.afterCall?.(channel, caller.key);
    return { ok: true, data };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.toBody() };
    options.log(channel, error);
    return fail('INTERNAL', INTERNAL_MESSAGE);
  }
}

/** Registers every contract channel, and only those, through `dispatch`. */
export function registerChannels(ipc: IpcMainLike, options: WrapperOptions | ForwardOptions): void {
  for (const channel of channels) {
    ipc.handle(channel, (event, input) => dispatch(channel, event, input, options));
  }
}
