/**
 * Channel → service. Each handler is a thin adapter: the wrapper has already checked
 * sender, session, role and input.
 */
import { recordAudit, listAudit, verifyAuditChain } from '../services/audit';
import { recordSignOut, signIn } from '../services/auth';
import { getAccount, searchAccounts } from '../services/accounts';
import {
  approveCredit,
  awaitingApproval,
  cancelCredit,
  creditLimitsFor,
  listCredits,
  rejectCredit,
  requestCredit,
} from '../services/credits';
import { cardBalance, lookupCard } from '../services/cards';
import { redeemCode } from '../services/redemption';
import { resolveRecovery, unlockRecovery, verifyRecovery } from '../services/recovery';
import { OffsetClock } from '../services/context';
import { AppError } from '../../shared/errors';
import { presentDemoUsers } from '../services/demo';
import { getLimits } from '../services/settings';
import { sessionInfo } from './sessions';
import { requireActor, type Handlers } from './wrapper';

export const handlers: Handlers = {
  'app:info': async (ctx) => ({
    version: ctx.appVersion,
    store: ctx.deps.kind,
    demoUsers: await presentDemoUsers(ctx.deps.db),
  }),

  'session:signIn': async (ctx, input) => {
    const user = await signIn(ctx.deps, input);
    const previous = ctx.sessions.delete(ctx.windowId);
    if (previous && previous.user.id !== user.id) {
      await recordSignOut(ctx.deps, { id: previous.user.id, username: previous.user.username, role: previous.user.role }, 'signOut');
    }
    const limits = await getLimits(ctx.deps.db);
    const now = ctx.deps.clock.now();
    const session = { user, signedInAt: now, lastActiveAt: now, idleLockMinutes: limits.idleLockMinutes };
    ctx.sessions.set(ctx.windowId, session);
    return sessionInfo(session);
  },

  'session:signOut': async (ctx) => {
    const actor = requireActor(ctx);
    ctx.sessions.delete(ctx.windowId);
    await recordSignOut(ctx.deps, actor, 'signOut');
    return { signedOut: true };
  },

  'session:current': async (ctx) => (ctx.session ? sessionInfo(ctx.session) : null),

  'cards:lookup': (ctx, input) => lookupCard(ctx.deps, requireActor(ctx), input),
  'cards:balance': (ctx, input) => cardBalance(ctx.deps, requireActor(ctx), input),
  'cards:redeem': (ctx, input) => redeemCode(ctx.deps, requireActor(ctx), input),

  'accounts:search': (ctx, input) => searchAccounts(ctx.deps.db, input),
  'accounts:get': (ctx, input) => getAccount(ctx.deps, requireActor(ctx), input),

  'recovery:verify': (ctx, input) => verifyRecovery(ctx.deps, requireActor(ctx), input),
  'recovery:resolve': (ctx, input) => resolveRecovery(ctx.deps, requireActor(ctx), input),
  'recovery:unlock': (ctx, input) => unlockRecovery(ctx.deps, requireActor(ctx), input),

  'credits:request': (ctx, input) => requestCredit(ctx.deps, requireActor(ctx), input),
  'credits:list': (ctx, input) => listCredits(ctx.deps, requireActor(ctx), input),
  'credits:pendingCount': (ctx) => awaitingApproval(ctx.deps, requireActor(ctx)),
  'credits:limits': (ctx) => creditLimitsFor(ctx.deps.db, requireActor(ctx)),
  'credits:approve': (ctx, input) => approveCredit(ctx.deps, requireActor(ctx), input),
  'credits:reject': (ctx, input) => rejectCredit(ctx.deps, requireActor(ctx), input),
  'credits:cancel': (ctx, input) => cancelCredit(ctx.deps, requireActor(ctx), input),

  'audit:list': (ctx, input) => listAudit(ctx.deps.db, input),

  'audit:verify': async (ctx) => {
    const actor = requireActor(ctx);
    const result = await verifyAuditChain(ctx.deps.db);
    await recordAudit(ctx.deps.db, ctx.deps.clock, {
      actor: actor.username,
      action: 'audit.verified',
      details: result.intact ? { intact: true, checked: result.checked } : { intact: false, firstBrokenSeq: result.firstBrokenSeq },
    });
    return result;
  },

  'test:advanceClock': async (ctx, input) => {
    const clock = ctx.deps.clock;
    if (!(clock instanceof OffsetClock)) throw new AppError('FORBIDDEN', 'This clock cannot be moved.');
    clock.advance(input.minutes * 60_000);
    if (input.keepSessions) ctx.sessions.shiftActivity(input.minutes * 60_000);
    return { now: clock.now().toISOString() };
  },
};
