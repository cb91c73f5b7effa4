/**
 * Channel → service. Each handler is a one-line adapter: the wrapper has already
 * checked sender, session, role and input, so a service gets its deps, the acting user
 * (there by type on every non-public channel) and the parsed input.
 */
import { getAccount, searchAccounts } from '../services/accounts';
import { appInfo } from '../services/app';
import { listAudit, verifyAudit } from '../services/audit';
import { dashboardSummary } from '../services/dashboard';
import { changePassword, openSession, recordSignOut, sessionFor, signOut } from '../services/auth';
import { createFirstAdmin, createUserByAdmin, listUsers, resetPassword, setupStatus, unlockUser, updateUser } from '../services/users';
import { cardBalance, lookupCard } from '../services/cards';
import { OffsetClock } from '../services/context';
import {
  approveCredit,
  awaitingApproval,
  cancelCredit,
  creditLimitsFor,
  listCredits,
  rejectCredit,
  requestCredit,
} from '../services/credits';
import { limitsOverview, setLimit } from '../services/limits';
import { revealPersonalData } from '../services/personalData';
import { resolveRecovery, unlockRecovery, verifyRecovery } from '../services/recovery';
import { redeemCode } from '../services/redemption';
import { AppError } from '../../shared/errors';
import { cancelDialogImport, importFromDialog } from './cardImportDesk';
import { exportForCaller } from './auditExportDesk';
import { sessionInfo } from './sessions';
import type { Handlers } from './wrapper';

/** Test hooks only: moves the clock, and with it the windows' idle timers. */
const testHandlers: Pick<Handlers, 'test:advanceClock'> = {
  'test:advanceClock': async (ctx, input) => {
    const clock = ctx.deps.clock;
    if (!(clock instanceof OffsetClock)) throw new AppError('FORBIDDEN', 'This clock cannot be moved.');
    clock.advance(input.minutes * 60_000);
    if (input.keepSessions) await ctx.sessions.shiftActivity?.(input.minutes * 60_000);
    return { now: clock.now().toISOString() };
  },
};

export const handlers: Handlers = {
  'app:info': (ctx) => appInfo(ctx.deps, ctx.appVersion),

  'session:signIn': async (ctx, input) => {
    const opened = await ctx.sessions.open(ctx.caller.key, await openSession(ctx.deps, ctx.actor, input));
    // A token store's new token goes to the transport, never into the channel's output.
    if (opened.credential !== undefined) ctx.caller.credential = opened.credential;
    return opened.info;
  },
  'session:signOut': async (ctx) => {
    await ctx.sessions.delete(ctx.caller.key);
    return signOut(ctx.deps, ctx.actor);
  },
  'session:current': async (ctx) => (ctx.session ? sessionInfo(ctx.session) : null),
  'session:changePassword': async (ctx, input) => {
    await changePassword(ctx.deps, ctx.actor, input);
    // The must-change gate is lifted in the store; this answer and the window's next call see it.
    ctx.session.mustChangePassword = false;
    return sessionInfo(ctx.session);
  },
  'setup:status': (ctx) => setupStatus(ctx.deps),
  'setup:createAdmin': async (ctx, input) => {
    const admin = await createFirstAdmin(ctx.deps, input);
    if (ctx.actor) await recordSignOut(ctx.deps, ctx.actor, 'signOut');
    const opened = await ctx.sessions.open(ctx.caller.key, await sessionFor(ctx.deps, admin, false));
    if (opened.credential !== undefined) ctx.caller.credential = opened.credential;
    return opened.info;
  },
  'users:list': (ctx) => listUsers(ctx.deps, ctx.actor),
  'users:create': (ctx, input) => createUserByAdmin(ctx.deps, ctx.actor, input),
  'users:update': (ctx, input) => updateUser(ctx.deps, ctx.actor, input),
  'users:resetPassword': (ctx, input) => resetPassword(ctx.deps, ctx.actor, input),
  'users:unlock': (ctx, input) => unlockUser(ctx.deps, ctx.actor, input),

  'cards:lookup': (ctx, input) => lookupCard(ctx.deps, ctx.actor, input),
  'cards:balance': (ctx, input) => cardBalance(ctx.deps, ctx.actor, input),
  'cards:redeem': (ctx, input) => redeemCode(ctx.deps, ctx.actor, input),
  'cards:import': (ctx, input) => importFromDialog(ctx.deps, ctx.actor, ctx.caller.key, input),
  'cards:importCancel': async (ctx) => cancelDialogImport(ctx.caller.key),

  'accounts:search': (ctx, input) => searchAccounts(ctx.deps, ctx.actor, input),
  'accounts:get': (ctx, input) => getAccount(ctx.deps, ctx.actor, input),

  'recovery:verify': (ctx, input) => verifyRecovery(ctx.deps, ctx.actor, input),
  'recovery:resolve': (ctx, input) => resolveRecovery(ctx.deps, ctx.actor, input),
  'recovery:unlock': (ctx, input) => unlockRecovery(ctx.deps, ctx.actor, input),

  'credits:request': (ctx, input) => requestCredit(ctx.deps, ctx.actor, input),
  'credits:list': (ctx, input) => listCredits(ctx.deps, ctx.actor, input),
  'credits:pendingCount': (ctx) => awaitingApproval(ctx.deps, ctx.actor),
  'credits:limits': (ctx) => creditLimitsFor(ctx.deps, ctx.actor),
  'credits:approve': (ctx, input) => approveCredit(ctx.deps, ctx.actor, input),
  'credits:reject': (ctx, input) => rejectCredit(ctx.deps, ctx.actor, input),
  'credits:cancel': (ctx, input) => cancelCredit(ctx.deps, ctx.actor, input),

  'limits:get': (ctx) => limitsOverview(ctx.deps, ctx.actor),
  'limits:set': (ctx, input) => setLimit(ctx.deps, ctx.actor, input),

  'audit:list': (ctx, input) => listAudit(ctx.deps, ctx.actor, input),
  'audit:verify': (ctx) => verifyAudit(ctx.deps, ctx.actor),
  'audit:export': (ctx, input) => exportForCaller(ctx.deps, ctx.actor, ctx.caller, input),
  'dashboard:summary': (ctx, input) => dashboardSummary(ctx.deps, ctx.actor, input),

  'pii:reveal': (ctx, input) => revealPersonalData(ctx.deps, ctx.actor, input),

  // Test hooks: in a test build only (the release bundle has neither the name nor the code).
  ...(__GIFTDESK_TEST_BUILD__ ? testHandlers : ({} as typeof testHandlers)),
};
