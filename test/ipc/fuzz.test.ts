/**
 * Issue 11, "proof that runs on every change": property tests over EVERY channel of the
 * contract, through the one wrapper, on both engines, as a caller each channel admits.
 *
 * Payloads: arbitrary values (fc.anything with dates, maps, sets, big ints, typed and
 * sparse arrays, null prototypes), hostile ones (wrong types, 100k-character strings,
 * lone surrogates, NUL, own `__proto__` / `constructor` / `prototype` keys, NaN,
 * ±Infinity, -0, unsafe integers, 2^31, nesting 100 deep, a sparse array of length
 * 2^32 − 1, 20 000 items or keys, arrays for objects), and a
 * VALID payload of the channel with one field replaced by a hostile value or one
 * hostile key added.
 *
 * Properties, for every call:
 *  - the answer is an envelope, `{ ok: true, data }` or `{ ok: false, error: { code, message } }`;
 *    dispatch never throws and never answers INTERNAL;
 *  - no message carries a stack trace or a file path, or echoes a hostile string, and
 *    no message is longer than a sentence or two;
 *  - `Object.prototype` (and `Array.prototype`) keep their own properties;
 *  - an INVALID payload (one the channel's schema refuses) changes nothing at all: the
 *    wrapper answers VALIDATION_FAILED before any service runs, and a VALIDATION_FAILED
 *    from the wrapper writes no row, not even an audit entry (refusals audited by the
 *    services — failed sign-ins, refused approvals… — happen only after the input
 *    parsed). So "unchanged" is: every table has the same rows (a digest of each
 *    table's content) and the audit head (seq, hash) is the same. A VALID payload may
 *    change the store (a read is audited, a redemption posts); the audit chain must
 *    still verify after each channel's runs.
 *
 * Runs: GIFTDESK_FUZZ_RUNS per channel per engine (default 15, kept small for `npm
 * test`); seed: GIFTDESK_FUZZ_SEED (default fixed). On a failure fast-check prints the
 * seed, the path and the shrunk counterexample: re-run with that seed to reproduce.
 */
import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SessionStore, type Session } from '../../electron/ipc/sessions';
import { dispatch } from '../../electron/ipc/wrapper';
import { verifyAuditChain } from '../../electron/services/audit';
import { createUser } from '../../electron/services/auth';
import { demoFixtures } from '../../electron/services/demo';
import { channelInput, channels, contract, type Channel } from '../../shared/contract';
import type { Role } from '../../shared/roles';
import { textProblem } from '../../shared/text';
import { windowEvent, wrapperOptions } from '../support/ipc';
import { createTestStore, engines, type TestStore } from '../support/store';

function envInteger(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, not "${raw}"`);
  return value;
}

const RUNS = envInteger('GIFTDESK_FUZZ_RUNS', 15, 1);
// fast-check takes any 32-bit integer as a seed and prints the one it used on a failure.
const SEED = envInteger('GIFTDESK_FUZZ_SEED', 20_261_124, -(2 ** 31));
// About 100 ms a run on PostgreSQL at worst (two table digests), plus shrinking on a failure.
const TIMEOUT = 60_000 + RUNS * 500;

const fixtures = demoFixtures();
const card = fixtures.cards.activeUS;
const damaged = fixtures.cards.damagedEmailUS;
const account = fixtures.accounts.usCustomer;
const FUZZ_USER = { username: 'fuzzer', password: 'fuzzer-password-1' };

/** A valid payload per channel (all optional fields given): `satisfies` keeps the list complete. */
const valid = {
  'app:info': {},
  'session:signIn': FUZZ_USER,
  'session:signOut': {},
  'session:current': {},
  // Never the callers' own passwords: a valid change changes nothing here (the current one is wrong).
  'session:changePassword': { currentPassword: 'fuzzer-password-1', newPassword: 'fuzzer-password-2' },
  'setup:status': {},
  'setup:createAdmin': { username: 'fuzz-admin', displayName: 'Fuzz Admin', password: 'fuzz-admin-password' },
  // Only a user of the fuzz's own: the callers' windows keep their power.
  'users:list': {},
  'users:create': { username: 'fuzz-made', displayName: 'Fuzz Made', role: 'agent', password: 'fuzz-made-password' },
  'users:update': { username: 'fuzz-made', role: 'agent', active: true, displayName: 'Fuzz Made', revealPermission: 'roleDefault' },
  'users:resetPassword': { username: 'fuzz-made' },
  'users:unlock': { username: 'fuzz-made' },
  'cards:lookup': { serial: card.serial },
  'cards:balance': { serial: card.serial },
  'cards:redeem': { claimCode: card.claimCode, accountId: account.id, ticketId: 'T-FUZZ-1', idempotencyKey: 'fuzz-redeem-1' },
  'accounts:search': { query: account.displayName.slice(0, 3) },
  'accounts:get': { accountId: account.id, beforeId: 1_000, limit: 10 },
  'recovery:verify': {
    serial: damaged.serial,
    orderNumber: damaged.orderNumber,
    purchaserName: damaged.purchaserName,
    recipientName: damaged.recipientName,
    deliveryAddress: damaged.deliveryAddress,
    claimCodeFragment: damaged.claimCodeFragment,
    ticketId: 'T-FUZZ-2',
  },
  'recovery:resolve': {
    caseId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
    ticketId: 'T-FUZZ-2',
    action: 'redeemToAccount',
    accountId: account.id,
    idempotencyKey: 'fuzz-resolve-1',
  },
  'recovery:unlock': { serial: damaged.serial, reason: 'caller verified by fuzzing' },
  'credits:request': {
    accountId: account.id,
    amountMinor: 500,
    currency: 'USD',
    reason: 'GOODWILL',
    note: 'fuzz',
    ticketId: 'T-FUZZ-3',
    serial: card.serial,
    idempotencyKey: 'fuzz-credit-1',
  },
  'credits:list': { status: 'pending', mine: false, cursor: 1_000, limit: 10 },
  'credits:pendingCount': {},
  'credits:limits': {},
  'credits:approve': { requestId: 1, note: 'fine', idempotencyKey: 'fuzz-approve-1' },
  'credits:reject': { requestId: 1, reason: 'not needed' },
  'credits:cancel': { requestId: 1 },
  'limits:get': {},
  'limits:set': { kind: 'approval', username: 'sam', currency: 'USD', amount: '10.00' },
  'audit:list': { beforeSeq: 1_000, limit: 10, action: 'card.lookup' },
  'audit:verify': {},
  'audit:export': { actor: 'ava', action: 'card.', subject: card.serial, ticketId: 'T-FUZZ-1', from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
  'dashboard:summary': { from: '2026-11-01T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z', utcOffsetMinutes: 60 },
  'pii:reveal': { subjectType: 'card', subjectId: damaged.serial, field: 'purchaserName', reason: 'caller disputes the purchase', ticketId: 'T-FUZZ-4' },
  'cards:import': { skipInvalid: true },
  'cards:importCancel': {},
  'test:advanceClock': { minutes: 1, keepSessions: true },
} satisfies Record<Channel, Record<string, unknown>>;

// ---------- hostile values ----------

const HUGE = 'x'.repeat(100_000);
const HUGE_DIGITS = '1'.repeat(100_000);
/** Hostile strings a message must never repeat. */
const hostileStrings = [HUGE, HUGE_DIGITS, 'T-\uD800', '\uDC00abc', 'x\uDBFF', 'a\u0000b', '\u0000', 'F\u0000UZZ-MARKER-\uD800'];
const hostileNumbers = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  -1,
  0,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e300,
];
/** Parsed fresh for each use: JSON.parse makes `__proto__` an own key, as a structured clone would keep it. */
const pollutingJson = [
  '{"__proto__": {"polluted": "yes"}}',
  '{"constructor": {"prototype": {"polluted": "yes"}}}',
  '{"prototype": {"polluted": "yes"}}',
  '{"__proto__": {"__proto__": {"polluted": "yes"}}, "constructor": "x"}',
  '[{"__proto__": {"polluted": "yes"}}]',
];

/** Large by count rather than by depth: a sparse array of length 2^32 − 1 (structured clone keeps it), 20 000 items or keys. */
function wide(kind: 'sparse' | 'items' | 'keys'): unknown {
  if (kind === 'keys') return Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
  const array: unknown[] = kind === 'items' ? Array.from({ length: 20_000 }, (_, i) => i) : [];
  if (kind === 'sparse') array.length = 2 ** 32 - 1;
  return array;
}

function nested(depth: number, array: boolean): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = array ? [value] : { a: value };
  return value;
}

const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
});
const hostileNumber = fc.oneof({ arbitrary: fc.constantFrom(...hostileNumbers), weight: 3 }, fc.integer(), fc.double(), fc.bigInt());
const hostileString = fc.oneof({ arbitrary: fc.constantFrom(...hostileStrings), weight: 3 }, fc.string({ unit: 'binary', maxLength: 40 }));

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: fc.constantFrom(...pollutingJson).map((json) => JSON.parse(json) as unknown), weight: 2 },
  { arbitrary: fc.constantFrom(100, 17).chain((depth) => fc.boolean().map((array) => nested(depth, array))), weight: 1 },
  { arbitrary: fc.constantFrom('sparse', 'items', 'keys').map((kind) => wide(kind)), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, '', ' ', [], {}), weight: 1 },
  { arbitrary: anything, weight: 3 },
);

/** A hostile value for a field whose valid value is `value`: mostly one of the same type, a near miss. */
function hostileFor(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value === 'number') return fc.oneof({ arbitrary: hostileNumber, weight: 3 }, hostileValue);
  if (typeof value === 'string') {
    const nearMiss = fc.constantFrom(`${value}\u0000`, `${value}\uD800`, `\uDC00${value}`, value.repeat(Math.ceil(100_000 / Math.max(1, value.length))), ` ${value} `, value.toLowerCase());
    return fc.oneof({ arbitrary: hostileString, weight: 2 }, { arbitrary: nearMiss, weight: 2 }, hostileValue);
  }
  return hostileValue;
}

/** A copy of `base` with `key` set as an own, enumerable data property (so `__proto__` stays a key). */
function withOwn(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function payloads(channel: Channel): fc.Arbitrary<unknown> {
  const base: Record<string, unknown> = valid[channel];
  const keys = Object.keys(base);
  const arbitraries: fc.Arbitrary<unknown>[] = [
    // The whole input hostile (a number, a string, an array, a polluting object…).
    hostileValue,
    // The valid payload itself, and inside an array where an object is expected.
    fc.constant(null).map(() => structuredClone(base)),
    fc.constant(null).map(() => [structuredClone(base)]),
    // One hostile key added: a prototype key, a hostile string key, or any string.
    fc
      .tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', HUGE, 'k\uD800'), fc.string()), hostileValue)
      .map(([key, value]) => withOwn(base, key, value)),
  ];
  // One field of the valid payload replaced by a hostile value (weighted: the most telling case).
  if (keys.length > 0) {
    const mutate = fc
      .constantFrom(...keys)
      .chain((key) => hostileFor(base[key]).map((value) => withOwn(base, key, value)));
    arbitraries.push(mutate, mutate, mutate);
  }
  return fc.oneof(...arbitraries);
}

// ---------- the store, its callers and what an envelope may say ----------

const windowOf = { signedOut: 1, agent: 2, supervisor: 3, admin: 4 } as const;
type Caller = keyof typeof windowOf;
const signInAs: Record<Exclude<Caller, 'signedOut'>, keyof typeof fixtures.users> = { agent: 'ava', supervisor: 'sam', admin: 'ada' };

/** The callers a channel admits (a public channel is tried signed out as well). */
function callersOf(channel: Channel): Caller[] {
  const roles = contract[channel].roles;
  return roles === 'public' ? ['signedOut', 'agent', 'supervisor', 'admin'] : [...(roles as readonly Role[])];
}

const STACK = /\bat .*[\\/]|\.(ts|js|mjs|cjs):\d|Error:|node_modules|\/work\/|file:\/\//;
/** A message is a sentence or two for a person: never a dump of the input. */
const MAX_MESSAGE = 600;

function containsHostile(text: string): string | null {
  const problem = textProblem(text);
  if (problem) return `a ${problem}`;
  for (const hostile of hostileStrings) if (text.includes(hostile)) return JSON.stringify(hostile.slice(0, 20));
  if (text.includes('x'.repeat(200)) || text.includes('1'.repeat(200))) return 'a run of a huge string';
  return null;
}

function checkEnvelope(result: unknown, label: string): void {
  expect(result, label).toBeTypeOf('object');
  const envelope = result as Record<string, unknown>;
  if (envelope['ok'] === true) {
    expect(Object.keys(envelope).sort(), label).toEqual(['data', 'ok']);
    return;
  }
  expect(envelope['ok'], label).toBe(false);
  const error = envelope['error'] as { code: unknown; message: unknown };
  expect(error, label).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  expect(error.code, `${label}: ${String(error.message)}`).not.toBe('INTERNAL');
  const message = error.message as string;
  expect(message, label).not.toMatch(STACK);
  expect(message.length, `${label}: message of ${message.length} characters`).toBeLessThanOrEqual(MAX_MESSAGE);
  expect(containsHostile(message), `${label}: message echoes a hostile string`).toBeNull();
  // Details are shown field by field (form errors): the same rules for every string in them, keys included.
  for (const text of stringsIn(envelope['error'])) {
    expect(text, `${label}: details`).not.toMatch(STACK);
    expect(containsHostile(text), `${label}: details echo a hostile string`).toBeNull();
  }
}

/** Every string in a value, object keys included. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [key, ...stringsIn(item)]);
}

const objectProtoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const arrayProtoKeys = Object.getOwnPropertyNames(Array.prototype).sort();

function checkPrototypes(label: string): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort(), label).toEqual(objectProtoKeys);
  expect(Object.getOwnPropertyNames(Array.prototype).sort(), label).toEqual(arrayProtoKeys);
  expect(({} as Record<string, unknown>)['polluted'], label).toBeUndefined();
}

/** Every table's content as a digest (audit_log through its head and count, it is append-only and chained). */
async function snapshot(store: TestStore): Promise<Record<string, string>> {
  const tables =
    store.engine === 'postgres'
      ? ((await store.db.raw('select tablename as name from pg_tables where schemaname = current_schema()')).rows as { name: string }[])
      : ((await store.db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")) as { name: string }[]);
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    if (name.startsWith('knex_')) continue;
    if (name === 'audit_log') {
      const count = await store.db('audit_log').count({ n: '*' }).first();
      out[name] = `rows:${Number(count?.['n'])}`;
      continue;
    }
    const rows = ((await store.db(name).select('*')) as unknown[]).map((row) =>
      JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
    );
    out[name] = createHash('sha256').update(rows.sort().join('\n')).digest('hex');
  }
  return out;
}

for (const engine of engines) {
  describe(engine, () => {
    let store: TestStore;
    const sessions = new SessionStore();
    const signedIn = new Map<number, Session>();
    /** The store as the last invalid run left it, or null when it may have changed since. */
    let known: Record<string, string> | null = null;

    function call(channel: Channel, input: unknown, windowId: number) {
      return dispatch(channel, windowEvent(windowId), input, wrapperOptions(store, { sessions, testHooks: () => true }));
    }

    /** Each run starts with the same windows: 1 signed out, 2–4 the agent, supervisor and admin. */
    function resetWindows(): void {
      sessions.delete(windowOf.signedOut);
      for (const [windowId, session] of signedIn) sessions.set(windowId, { ...session, user: { ...session.user } });
    }

    beforeAll(async () => {
      store = await createTestStore({ engine, demo: true });
      await createUser(store, { username: 'cli:tester' }, { ...FUZZ_USER, role: 'agent' });
      for (const [caller, username] of Object.entries(signInAs)) {
        const windowId = windowOf[caller as Caller];
        const result = await call('session:signIn', { username, password: fixtures.users[username].password }, windowId);
        expect(result, `${caller} signs in`).toMatchObject({ ok: true });
        signedIn.set(windowId, sessions.get(windowId)!);
      }
    });
    afterAll(async () => {
      await store?.close();
    });

    test('every channel has a valid payload that its schema accepts', () => {
      for (const channel of channels) expect(channelInput(channel).safeParse(valid[channel]).success, channel).toBe(true);
    });

    test('the store snapshot sees a write (a card lookup is audited) and nothing else', async () => {
      resetWindows();
      const before = await snapshot(store);
      expect(await call('cards:lookup', valid['cards:lookup'], windowOf.agent)).toMatchObject({ ok: true });
      const after = await snapshot(store);
      const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
      expect(changed.sort()).toEqual(['audit_head', 'audit_log']);
    });

    for (const channel of channels) {
      test(
        channel,
        async () => {
          known = null;
          await fc.assert(
            fc.asyncProperty(payloads(channel), fc.constantFrom(...callersOf(channel)), async (payload, caller) => {
              resetWindows();
              const isValid = channelInput(channel).safeParse(payload).success;
              // The snapshot after an invalid run is the next one's before (unless that run failed half way).
              const before = isValid ? null : (known ?? (await snapshot(store)));
              known = null;
              let result: unknown;
              try {
                result = await call(channel, payload, windowOf[caller]);
              } catch (error) {
                throw new Error(`${channel} threw across the wrapper: ${String(error)}`, { cause: error });
              }
              const label = `${channel} as ${caller}`;
              checkEnvelope(result, label);
              checkPrototypes(label);
              if (!isValid) {
                expect(result, label).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
                // audit_head (seq, hash) is in the snapshot: not even an audit entry was added.
                const after = await snapshot(store);
                known = after;
                expect(after, `${label}: an invalid payload changed the store`).toEqual(before);
              }
            }),
            { numRuns: RUNS, seed: SEED },
          );
          expect(await verifyAuditChain(store.db), `${channel}: the audit chain`).toMatchObject({ intact: true });
        },
        TIMEOUT,
      );
    }
  });
}
