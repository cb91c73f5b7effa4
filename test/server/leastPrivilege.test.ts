/**
 * Issue 12: the server runs as a least-privilege PostgreSQL role. The owner role
 * migrates (`giftdesk migrate`); the runtime role gets exactly the grants of
 * docs/sql/runtime-role.sql (the file the README quotes, executed here as it is), and
 * with them a real server does every workflow over HTTP while PostgreSQL refuses the
 * role any DDL and any change to the audit log.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../electron/cli';
import { startRuntime, type Runtime } from '../../electron/runtime';
import { createServer, type GiftdeskServer } from '../../electron/server/app';
import { demoFixtures } from '../../electron/services/demo';
import { TestClock } from '../support/clock';
import { TEST_SECRET_KEY } from '../support/engines';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../support/postgres';
import { engines, pgAdminUrl } from '../support/store';

const root = path.resolve(__dirname, '../..');
const SQL_FILE = path.join(root, 'docs/sql/runtime-role.sql');
const OWNER = { user: 'giftdesk_owner', password: 'owner-test-password' };
const APP = { user: 'giftdesk_app', password: 'app-test-password' };
const f = demoFixtures();

function asRole(url: string, role: { user: string; password: string }): string {
  const u = new URL(url);
  u.username = role.user;
  u.password = role.password;
  return u.toString();
}

async function sql<T = unknown>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

async function rpc(base: string, channel: string, input: unknown = {}, token?: string): Promise<any> {
  const response = await fetch(`${base}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ input }),
  });
  const body = await response.json();
  expect(body, `${channel}: ${JSON.stringify(body)}`).toMatchObject({ ok: true });
  return body;
}

test('the README quotes docs/sql/runtime-role.sql exactly', async () => {
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  // The block right after "The grants, [docs/sql/runtime-role.sql](…)".
  const at = readme.indexOf('The grants, [`docs/sql/runtime-role.sql`](docs/sql/runtime-role.sql)');
  const quoted = at < 0 ? null : /^```sql\n([\s\S]*?)^```$/m.exec(readme.slice(at));
  expect(quoted, 'README: a ```sql block after "The grants, [docs/sql/runtime-role.sql]"').not.toBeNull();
  expect(quoted![1]).toBe(await readFile(SQL_FILE, 'utf8'));
});

describe.skipIf(!engines.includes('postgres'))('the server as the least-privilege runtime role (PostgreSQL)', () => {
  const database = uniqueDatabaseName('lp');
  const behind = uniqueDatabaseName('lpbehind');
  let dataDir: string;
  let ownerUrl: string;
  let appUrl: string;
  let runtime: Runtime;
  let server: GiftdeskServer;
  let base: string;

  beforeAll(async () => {
    const admin = pgAdminUrl();
    // What the database admin does once (README, Team server: step 1).
    for (const role of [OWNER, APP]) {
      await sql(
        admin,
        `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role.user}') THEN CREATE ROLE ${role.user} LOGIN PASSWORD '${role.password}'; END IF; END $$`,
      );
    }
    const url = await createDatabase(admin, database);
    await sql(admin, `ALTER DATABASE ${database} OWNER TO ${OWNER.user}`);
    ownerUrl = asRole(url, OWNER);
    appUrl = asRole(url, APP);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-lp-'));

    // The owner migrates with the CLI…
    const out = new PassThrough();
    const err = new PassThrough();
    const said: string[] = [];
    out.on('data', (c: Buffer) => said.push(c.toString()));
    err.on('data', (c: Buffer) => said.push(c.toString()));
    const code = await runCli(['migrate'], {
      stdin: new PassThrough(),
      stdout: out,
      stderr: err,
      env: { GIFTDESK_DATA_DIR: dataDir, GIFTDESK_DATABASE_URL: ownerUrl, USER: 'tester' },
    });
    expect(code, said.join('')).toBe(0);
    expect(said.join('')).toMatch(/Schema up to date at postgres:\/\/giftdesk_owner:\*\*\*@.*: \d+ migrations applied\./);
    // …fills the store with test data (the demo dataset; test-only opt-in)…
    const seeding = await startRuntime({ dataDir, databaseUrl: ownerUrl, demo: true, demoTeam: true, testHooks: true, secretKey: TEST_SECRET_KEY });
    await seeding.close();
    // …and grants the runtime role exactly what the README says, from the same file.
    await sql(ownerUrl, await readFile(SQL_FILE, 'utf8'));

    runtime = await startRuntime({ dataDir, databaseUrl: appUrl, demo: false, testHooks: false, secretKey: TEST_SECRET_KEY }, { clock: new TestClock() });
    server = await createServer({ deps: runtime, appVersion: 'test', testHooks: false, logStream: { write: () => true }, eventIntervalMs: null });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await runtime?.close();
    await dropDatabase(pgAdminUrl(), database);
    await dropDatabase(pgAdminUrl(), behind);
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the runtime connection really is the runtime role, with no DDL right on the schema', async () => {
    const [row] = await sql<{ who: string; can_create: boolean; superuser: boolean }>(
      appUrl,
      `SELECT current_user AS who, has_schema_privilege('public', 'CREATE') AS can_create, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`,
    );
    expect(row).toEqual({ who: APP.user, can_create: false, superuser: false });
    const [used] = (await runtime.db.raw('SELECT current_user AS who')).rows;
    expect(used.who).toBe(APP.user);
  });

  test('every workflow works through the server as the runtime role', async () => {
    const ava = (await rpc(base, 'session:signIn', { username: 'ava', password: f.users.ava.password })).token as string;
    const sam = (await rpc(base, 'session:signIn', { username: 'sam', password: f.users.sam.password })).token as string;
    const card = f.cards.activeUS;
    const us = f.accounts.usCustomer.id;

    expect((await rpc(base, 'cards:lookup', { serial: card.serial }, ava)).data).toMatchObject({ serial: card.serial });
    await rpc(base, 'cards:balance', { serial: card.serial }, ava);
    await rpc(base, 'accounts:search', { query: f.accounts.usCustomer.email }, ava);
    expect((await rpc(base, 'cards:redeem', { claimCode: card.claimCode, accountId: us, ticketId: 'T-LP-1', idempotencyKey: 'lp-redeem-1' }, ava)).data).toBeTruthy();

    const request = await rpc(
      base,
      'credits:request',
      { accountId: us, amountMinor: 1500, currency: 'USD', reason: 'GOODWILL', ticketId: 'T-LP-2', idempotencyKey: 'lp-credit-1' },
      ava,
    );
    await rpc(base, 'credits:pendingCount', {}, sam);
    await rpc(base, 'credits:approve', { requestId: request.data.id, idempotencyKey: 'lp-approve-1' }, sam);
    const newRequest = (key: string) =>
      rpc(base, 'credits:request', { accountId: us, amountMinor: 700, currency: 'USD', reason: 'GOODWILL', ticketId: 'T-LP-2', idempotencyKey: key }, ava);
    await rpc(base, 'credits:reject', { requestId: (await newRequest('lp-credit-2')).data.id, reason: 'Not this time' }, sam);
    await rpc(base, 'credits:cancel', { requestId: (await newRequest('lp-credit-3')).data.id }, ava);
    await rpc(base, 'credits:list', {}, sam);
    await rpc(base, 'credits:limits', {}, ava);
    await rpc(base, 'accounts:get', { accountId: us }, ava);
    // A wrong code is refused and counted (redemption_failures), not an error of rights.
    const wrong = await fetch(`${base}/rpc/cards:redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ava}` },
      body: JSON.stringify({ input: { claimCode: 'AAAA-BBBBBB-CCCC', accountId: us, ticketId: 'T-LP-1', idempotencyKey: 'lp-redeem-2' } }),
    });
    expect(await wrong.json()).toMatchObject({ ok: false, error: { code: 'CLAIM_CODE_NOT_FOUND' } });
    expect(await sql(ownerUrl, 'SELECT count(*)::int AS n FROM redemption_failures')).toEqual([{ n: 1 }]);

    const damaged = f.cards.damagedPhysicalCA;
    const verified = await rpc(
      base,
      'recovery:verify',
      {
        serial: damaged.serial,
        orderNumber: damaged.orderNumber,
        purchaserName: damaged.purchaserName,
        recipientName: damaged.recipientName,
        deliveryAddress: damaged.deliveryAddress,
        claimCodeFragment: damaged.claimCodeFragment,
        ticketId: 'T-LP-3',
      },
      ava,
    );
    expect(verified.data.outcome).toBe('verified');
    await rpc(base, 'recovery:resolve', { caseId: verified.data.caseId, ticketId: 'T-LP-3', action: 'reissue', idempotencyKey: 'lp-reissue-1' }, ava);

    // The admin's Limits screen: every kind of change, and clearing an own limit (a DELETE).
    const ada = (await rpc(base, 'session:signIn', { username: 'ada', password: f.users.ada.password })).token as string;
    expect((await rpc(base, 'limits:get', {}, ada)).data.general).toMatchObject({ idleLockMinutes: 15 });
    await rpc(base, 'limits:set', { kind: 'general', name: 'idleLockMinutes', value: 20 }, ada);
    await rpc(base, 'limits:set', { kind: 'creditMax', currency: 'USD', amount: '450' }, ada);
    await rpc(base, 'limits:set', { kind: 'dualApproval', currency: 'USD', amount: '200' }, ada);
    await rpc(base, 'limits:set', { kind: 'approval', username: 'sam', currency: 'USD', amount: '100' }, ada);
    expect((await rpc(base, 'limits:set', { kind: 'approval', username: 'sam', currency: 'USD', amount: null }, ada)).data).toMatchObject({ changed: true });
    await rpc(base, 'session:signOut', {}, ada);

    await rpc(base, 'audit:list', {}, sam);
    // A personal-data reveal: its counted row (pii_reveals) and its audit entry.
    const revealed = await rpc(
      base,
      'pii:reveal',
      { subjectType: 'card', subjectId: damaged.serial, field: 'shippingAddress', reason: 'caller disputes the address', ticketId: 'T-LP-4' },
      sam,
    );
    expect(revealed.data).toMatchObject({ value: damaged.deliveryAddress });
    expect((await rpc(base, 'audit:verify', {}, sam)).data).toMatchObject({ intact: true });
    await rpc(base, 'session:signOut', {}, ava);
    await rpc(base, 'session:signOut', {}, sam);
    // Server-side session sweeping (idle locks) runs as the runtime role too.
    await server.checkEvents();
  });

  test.each([
    ['CREATE TABLE', 'CREATE TABLE intruder (id int)'],
    ['UPDATE audit_log', "UPDATE audit_log SET actor = 'someone-else'"],
    ['DELETE FROM audit_log', 'DELETE FROM audit_log'],
    ['TRUNCATE audit_log', 'TRUNCATE audit_log'],
    ['DROP TABLE cards', 'DROP TABLE cards'],
    ['ALTER TABLE audit_log DISABLE TRIGGER', 'ALTER TABLE audit_log DISABLE TRIGGER ALL'],
    ['DELETE FROM cards', 'DELETE FROM cards'],
  ])('PostgreSQL refuses the runtime role: %s', async (_what, statement) => {
    const error = await sql(appUrl, statement).then(
      () => null,
      (e: { code?: string; message?: string }) => e,
    );
    expect(error, statement).toMatchObject({ code: '42501' });
  });

  test('a schema that is behind: the runtime role refuses to start and says to run `giftdesk migrate` as the owner role', async () => {
    const url = await createDatabase(pgAdminUrl(), behind);
    await sql(pgAdminUrl(), `ALTER DATABASE ${behind} OWNER TO ${OWNER.user}`);
    const failed = await startRuntime({ dataDir, databaseUrl: asRole(url, APP), demo: false, testHooks: false, secretKey: TEST_SECRET_KEY }).then(
      (rt) => rt.close().then(() => null),
      (e: Error) => e,
    );
    expect(failed?.message).toMatch(/schema is behind .* role "giftdesk_app" may not change the schema: run `giftdesk migrate` as the owner role/);
    // It changed nothing: no migration tables were created.
    expect(await sql(asRole(url, OWNER), "SELECT to_regclass('knex_migrations') AS t")).toEqual([{ t: null }]);
  });
});
