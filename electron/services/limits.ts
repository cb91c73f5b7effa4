/**
 * The limits an admin keeps (DESIGN.md §1): the general ones (sign-in, sessions,
 * redemption, recovery, searches), manual-credit limits per currency and supervisors'
 * own approval limits. One read (`limits:get`) and one change (`limits:set`) over the
 * services that own each kind; every rule lives once in shared/ (limits.ts, credits.ts)
 * and every change is audited with its old and new value. The same value again
 * changes nothing and says so.
 */
import type { Knex } from 'knex';
import { AppError } from '../../shared/errors';
import {
  limitInWords,
  limitRules,
  limitValueProblem,
  type LimitChange,
  type LimitName,
  type LimitsOverview,
} from '../../shared/limits';
import { currencyCodes, formatMoney, parseAmount, type Currency } from '../../shared/money';
import type { ParsedInputOf } from '../../shared/contract';
import { appendAudit } from './audit';
import type { Actor, Operator, ServiceDeps } from './context';
import { getCreditLimits, listApprovalLimits, setApprovalLimit, setCreditLimit } from './credits';
import { refusable } from './refusal';
import { getLimits, putSetting } from './settings';

export async function limitsOverview(deps: ServiceDeps, _actor: Actor): Promise<LimitsOverview> {
  const [general, credits, approvalLimits, supervisors] = await Promise.all([
    getLimits(deps.db),
    getCreditLimits(deps.db),
    listApprovalLimits(deps.db),
    deps.db('users').where({ role: 'supervisor', active: true }).orderBy('username').select('username', 'display_name'),
  ]);
  return {
    general,
    credits: currencyCodes.map((currency) => ({
      currency,
      maxPerRequestMinor: credits.maxPerRequestMinor[currency],
      dualApprovalMinor: credits.dualApprovalMinor[currency],
    })),
    creditExpiryDays: credits.expiryDays,
    approvalLimits,
    supervisors: (supervisors as { username: string; display_name: string }[]).map((s) => ({ username: s.username, displayName: s.display_name })),
  };
}

const AT_NEXT_SIGN_IN = 'It takes effect at the next sign-in; open sessions keep the value they started with.';

/**
 * Admins and the CLI: one general limit. Refused (on record) outside the shared
 * bounds; audited with the old and new value.
 */
export async function setGeneralLimit(deps: ServiceDeps, actor: Operator, input: { name: LimitName; value: number }): Promise<LimitChange> {
  const rule = limitRules[input.name];
  const key = `limits.${input.name}`;
  return refusable(deps, async (trx, refuse) => {
    const problem = limitValueProblem(input.name, input.value);
    if (problem) {
      throw refuse(new AppError('VALIDATION_FAILED', problem, { fields: [{ path: 'value', message: problem }] }), {
        actor: actor.username,
        action: 'limits.set.refused',
        subjectType: 'setting',
        subjectId: key,
        details: { attempted: Number.isSafeInteger(input.value) ? input.value : null },
      });
    }
    const old = (await getLimits(trx as Knex))[input.name];
    if (old === input.value) {
      return { changed: false, message: `${rule.label} is already ${limitInWords(input.name, old)}; nothing changed.` };
    }
    await putSetting(trx, key, input.value, deps.clock.now());
    await appendAudit(trx, deps.clock, {
      actor: actor.username,
      action: 'limits.generalChanged',
      subjectType: 'setting',
      subjectId: key,
      details: { name: input.name, old, new: input.value },
    });
    const message = `${rule.label}: ${limitInWords(input.name, input.value)} (was ${limitInWords(input.name, old)}).`;
    return { changed: true, message: rule.atNextSignIn ? `${message} ${AT_NEXT_SIGN_IN}` : message };
  });
}

/** A decimal amount typed in the currency, or the reason in words under the amount. */
function amountIn(text: string, currency: Currency): number {
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) throw new AppError('VALIDATION_FAILED', parsed.message, { fields: [{ path: 'amount', message: parsed.message }] });
  return parsed.minor;
}

export async function setLimit(deps: ServiceDeps, actor: Actor, input: ParsedInputOf<'limits:set'>): Promise<LimitChange> {
  switch (input.kind) {
    case 'general':
      return setGeneralLimit(deps, actor, input);
    case 'creditMax':
    case 'dualApproval': {
      const kind = input.kind === 'creditMax' ? 'maxPerRequest' : 'dualApproval';
      const what = kind === 'maxPerRequest' ? 'Most per manual credit' : 'Two-approval threshold';
      const change = await setCreditLimit(deps, actor, { kind, currency: input.currency, amountMinor: amountIn(input.amount, input.currency) });
      const money = (minor: number) => formatMoney(minor, input.currency);
      return change.changed
        ? { changed: true, message: `${what} in ${input.currency}: ${money(change.newMinor)} (was ${money(change.oldMinor)}).` }
        : { changed: false, message: `${what} in ${input.currency} is already ${money(change.oldMinor)}; nothing changed.` };
    }
    case 'approval': {
      const amountMinor = input.amount === null ? null : amountIn(input.amount, input.currency);
      const change = await setApprovalLimit(deps, actor, { username: input.username, currency: input.currency, amountMinor });
      return { changed: change.changed, message: approvalChangeMessage(change, input.currency) };
    }
  }
}

/** "sam approves USD credits up to $150.50 (was the most per request)." — and the no-op. */
export function approvalChangeMessage(
  change: { changed: boolean; username: string; oldMinor: number | null; newMinor: number | null; effectiveMinor: number },
  currency: Currency,
): string {
  const money = (minor: number) => formatMoney(minor, currency);
  const limit = (minor: number | null) => (minor === null ? `the most per request, ${money(change.effectiveMinor)}` : money(minor));
  if (!change.changed) {
    return change.newMinor === null
      ? `${change.username} has no own ${currency} approval limit (approves up to the most per request, ${money(change.effectiveMinor)}); nothing changed.`
      : `${change.username} already approves ${currency} credits up to ${money(change.newMinor)}; nothing changed.`;
  }
  const was = change.oldMinor === null ? 'the most per request' : money(change.oldMinor);
  return `${change.username} approves ${currency} credits up to ${limit(change.newMinor)} (was ${was}).`;
}
