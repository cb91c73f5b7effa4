/**
 * The one channel contract. Every IPC channel is one entry: its input schema (zod,
 * parsed in the main process before any service runs), its output type and the
 * roles allowed to call it (`'public'` = no session needed). The main process
 * registers handlers from this map, the preload builds `window.giftdesk` from it and
 * the renderer's calls are typed by it. A new channel is one entry here plus one
 * service function.
 */
import { z } from 'zod';
import type { Envelope } from './errors';
import type { Role } from './roles';
import type {
  AppInfo,
  AuditPage,
  AuditVerification,
  CardDetails,
  SessionInfo,
} from './types';

export type Access = 'public' | readonly Role[];

export interface ChannelSpec {
  input: z.ZodType;
  roles: Access;
  /** Phantom: carries the output type only. */
  output: unknown;
}

const returns = <T>(): T => undefined as T;

const noInput = z.strictObject({});
const everyone = ['agent', 'supervisor', 'admin'] as const;
const cardDesk = ['agent', 'supervisor'] as const;
const oversight = ['supervisor', 'admin'] as const;

export const contract = {
  'app:info': { input: noInput, roles: 'public', output: returns<AppInfo>() },

  'session:signIn': {
    input: z.strictObject({
      username: z.string().trim().min(1, 'Enter your username.').max(64),
      password: z.string().min(1, 'Enter your password.').max(256),
    }),
    roles: 'public',
    output: returns<SessionInfo>(),
  },
  'session:signOut': { input: noInput, roles: everyone, output: returns<{ signedOut: true }>() },
  'session:current': { input: noInput, roles: 'public', output: returns<SessionInfo | null>() },

  'cards:lookup': {
    // Shape problems of the serial itself are the service's SERIAL_INVALID answer.
    input: z.strictObject({ serial: z.string().max(64) }),
    roles: cardDesk,
    output: returns<CardDetails>(),
  },

  'audit:list': {
    input: z.strictObject({
      beforeSeq: z.int().positive().optional(),
      limit: z.int().min(1).max(200).default(50),
      action: z.string().trim().max(64).optional(),
    }),
    roles: oversight,
    output: returns<AuditPage>(),
  },
  'audit:verify': { input: noInput, roles: oversight, output: returns<AuditVerification>() },
} as const satisfies Record<string, ChannelSpec>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const channels = Object.keys(contract) as Channel[];

/** What the renderer passes. */
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>;
/** What the service receives, after parsing and defaults. */
export type ParsedInputOf<C extends Channel> = z.output<Contract[C]['input']>;
export type OutputOf<C extends Channel> = Contract[C]['output'];

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C extends string, D extends string> = C extends `${D}:${infer V}` ? V : never;

type Call<C extends Channel> = {} extends InputOf<C>
  ? (input?: InputOf<C>) => Promise<Envelope<OutputOf<C>>>
  : (input: InputOf<C>) => Promise<Envelope<OutputOf<C>>>;

/** `window.giftdesk`: `giftdesk.cards.lookup({ serial })` for channel `cards:lookup`. */
export type GiftdeskApi = {
  [D in DomainOf<Channel>]: {
    [V in VerbOf<Channel, D>]: Call<`${D}:${V}` & Channel>;
  };
};

/** Builds the `window.giftdesk` object from the contract over any transport. */
export function buildApi(invoke: (channel: Channel, input: unknown) => Promise<unknown>): GiftdeskApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const channel of channels) {
    const [domain, verb] = channel.split(':') as [string, string];
    const calls = (api[domain] ??= {});
    calls[verb] = (input?: unknown) => invoke(channel, input ?? {});
  }
  return api as unknown as GiftdeskApi;
}

export function isChannel(value: string): value is Channel {
  return Object.hasOwn(contract, value);
}
