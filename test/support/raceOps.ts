/**
 * What a racing process can do: each operation calls the real services over the
 * process's own store connection. Later features add their money-moving operations
 * here (redeem, resolve a recovery case, approve a credit).
 */
import type { Runtime } from '../../electron/runtime';
import { recordAudit } from '../../electron/services/audit';
import { signIn } from '../../electron/services/auth';
import { redeemCode, type RedeemInput } from '../../electron/services/redemption';
import { resolveRecovery, type ResolveInput } from '../../electron/services/recovery';
import { approveCredit, cancelCredit, setCreditLimit } from '../../electron/services/credits';
import type { Currency } from '../../shared/money';
import { createFirstAdmin, updateUser, type UserUpdate } from '../../electron/services/users';
import { revealPersonalData, type RevealInput } from '../../electron/services/personalData';
import type { Role } from '../../shared/roles';

type RaceActor = { id: number; username: string; role: Role };

export type RaceOp = (runtime: Runtime, args: never) => Promise<unknown>;

export const raceOps = {
  signIn: (runtime: Runtime, args: { username: string; password: string }) => signIn(runtime, args),
  appendAudit: async (runtime: Runtime, args: { actor: string; count: number }) => {
    const seqs: number[] = [];
    for (let i = 0; i < args.count; i++) {
      seqs.push(await recordAudit(runtime.db, runtime.clock, { actor: args.actor, action: 'card.lookup', details: { i } }));
    }
    return seqs;
  },
  redeem: (runtime: Runtime, args: { actor: { id: number; username: string }; input: RedeemInput }) =>
    redeemCode(runtime, { ...args.actor, role: 'agent' }, args.input),
  resolveRecovery: (runtime: Runtime, args: { actor: { id: number; username: string }; input: ResolveInput }) =>
    resolveRecovery(runtime, { ...args.actor, role: 'agent' }, args.input),
  approveCredit: (runtime: Runtime, args: { actor: RaceActor; requestId: number; idempotencyKey: string }) =>
    approveCredit(runtime, args.actor, { requestId: args.requestId, idempotencyKey: args.idempotencyKey }),
  cancelCredit: (runtime: Runtime, args: { actor: RaceActor; requestId: number }) => cancelCredit(runtime, args.actor, { requestId: args.requestId }),
  setCreditLimit: (runtime: Runtime, args: { actor: RaceActor; kind: 'maxPerRequest' | 'dualApproval'; currency: Currency; amountMinor: number }) =>
    setCreditLimit(runtime, args.actor, { kind: args.kind, currency: args.currency, amountMinor: args.amountMinor }),
  createAdmin: (runtime: Runtime, args: { username: string; displayName: string; password: string }) => createFirstAdmin(runtime, args),
  updateUser: (runtime: Runtime, args: { actor: string; update: UserUpdate }) => updateUser(runtime, { username: args.actor }, args.update),
  reveal: (runtime: Runtime, args: { actor: RaceActor; input: RevealInput }) => revealPersonalData(runtime, args.actor, args.input),
} satisfies Record<string, RaceOp>;

export type RaceOpName = keyof typeof raceOps;
export type RaceArgs<K extends RaceOpName> = Parameters<(typeof raceOps)[K]>[1];
