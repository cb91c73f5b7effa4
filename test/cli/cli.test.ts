import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, test } from 'vitest';
import type { Runtime } from '../../electron/runtime';
import { recordAudit } from '../../electron/services/audit';
import { signIn } from '../../electron/services/auth';
import { cliStore, type CliStore } from '../support/cliStore';
import { TEST_SECRET_KEY, type Engine } from '../support/engines';
import { engines } from '../support/store';

/** The store of the test that is running (each describe below makes its own; set before each test). */
let current: CliStore;

/** A describe's CLI store, the one `run` and `withStore` use during its tests. */
function useCliStore(engine: Engine): void {
  const store = cliStore(engine, 'cli');
  beforeEach(() => {
    current = store;
  });
}

const run = (args: string[], stdin = '') => current.run(args, { stdin });
const withStore = <T,>(fn: (rt: Runtime) => Promise<T>) => current.withStore(fn);

/**
 * As at a terminal: stdin is a TTY; the answers are typed once the first prompt is on
 * screen, one after the other (the second waits in the terminal's input for the second
 * prompt, as type-ahead does). Checked by hand in a real terminal (tmux) too.
 */
async function runAtTerminal(args: string[], answers: string[]) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  let typing = false;
  return current.run(args, {
    stdin,
    onStdout: (out) => {
      if (!typing && out.includes('Password:')) {
        typing = true;
        answers.forEach((answer, i) => setTimeout(() => stdin.write(`${answer}\r`), 50 + i * 150));
      }
    },
  });
}

for (const engine of engines) {
  describe(engine, () => {
    useCliStore(engine);

  test('migrate brings an empty store to the shipped schema without a key, and says so again when it is current', async () => {
    const { GIFTDESK_SECRET_KEY: _key, ...withoutKey } = current.env;
    current.env = withoutKey;
    const first = await run(['migrate']);
    expect(first).toMatchObject({ code: 0, err: '', out: expect.stringMatching(/^Schema up to date at .+: \d+ migrations applied\.\n$/) });
    expect(await run(['migrate'])).toEqual(first);
  });

  test('users add with --password-stdin creates a user who can sign in, attributed to the CLI', async () => {
    const result = await run(['users', 'add', 'Carol', '--role', 'supervisor', '--name', 'Carol King', '--password-stdin'], 'a long password\n');
    expect(result).toEqual({ code: 0, out: 'Created supervisor carol (Carol King).\n', err: '' });
    await withStore(async (rt) => {
      await expect(signIn(rt, { username: 'carol', password: 'a long password' })).resolves.toMatchObject({ role: 'supervisor' });
      expect(await rt.db('audit_log').where({ action: 'user.created' }).first()).toMatchObject({ actor: 'cli:tester', subject_id: 'carol' });
    });
  });

  test('users add refuses bad input with a reason and a non-zero exit', async () => {
    expect(await run(['users', 'add', 'dan', '--role', 'boss', '--password-stdin'], 'whatever1\n')).toMatchObject({
      code: 2,
      err: expect.stringContaining('users add needs --role agent, supervisor or admin.'),
    });
    expect(await run(['users', 'add', 'dan', '--role', 'agent', '--password-stdin'], 'short\n')).toMatchObject({
      code: 1,
      err: 'giftdesk: A password has at least 8 characters (at most 256).\n',
    });
    expect(await run(['users', 'add', 'dan', '--role', 'agent'], '')).toMatchObject({
      code: 2,
      err: expect.stringContaining('No terminal to ask for the password'),
    });
    await run(['users', 'add', 'dan', '--role', 'agent', '--password-stdin'], 'long enough\n');
    expect(await run(['users', 'add', 'DAN', '--role', 'agent', '--password-stdin'], 'long enough\n')).toMatchObject({
      code: 1,
      err: 'giftdesk: A user named dan already exists.\n',
    });
  });

  test('users add at a terminal asks for the password twice without echoing it', async () => {
    const result = await runAtTerminal(['users', 'add', 'erin', '--role', 'agent'], ['typed at the desk', 'typed at the desk']);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('Password again:');
    expect(result.out).toContain('Created agent erin (erin).');
    expect(result.out).not.toContain('typed at the desk');
    await withStore(async (rt) => {
      await expect(signIn(rt, { username: 'erin', password: 'typed at the desk' })).resolves.toMatchObject({ role: 'agent' });
    });
    const differ = await runAtTerminal(['users', 'add', 'fay', '--role', 'agent'], ['first password', 'second password']);
    expect(differ).toMatchObject({ code: 2, err: expect.stringContaining('The two passwords differ; nothing was changed.') });
    await withStore(async (rt) => expect(await rt.db('users').where({ username: 'fay' }).first()).toBeUndefined());
  });

  if (engine === 'postgres') test('demo seed refuses a team store: the demo users have published passwords', async () => {
    expect(await run(['demo', 'seed'])).toMatchObject({ code: 1, out: '', err: expect.stringContaining('never seeds it into a team store') });
    await withStore(async (rt) => {
      expect(Number((await rt.db('users').count({ n: '*' }).first())!.n)).toBe(0);
      expect(Number((await rt.db('cards').count({ n: '*' }).first())!.n)).toBe(0);
    });
  });

  if (engine === 'sqlite') test('demo seed fills an empty store once, then refuses', async () => {
    const first = await run(['demo', 'seed']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('Seeded the demo dataset');
    const second = await run(['demo', 'seed']);
    expect(second).toMatchObject({ code: 1, err: expect.stringContaining('already has data') });
    await withStore(async (rt) => {
      expect(Number((await rt.db('cards').count({ n: '*' }).first())!.n)).toBeGreaterThanOrEqual(300);
    });
  });

  test('audit verify reports the chain', async () => {
    await run(['users', 'add', 'ivy', '--role', 'admin', '--password-stdin'], 'long enough\n');
    expect(await run(['audit', 'verify'])).toMatchObject({ code: 0, out: 'Audit chain intact: 1 entries verified.\n' });
  });

  test('audit verify lists every broken link and exits 1', async () => {
    await run(['users', 'add', 'ivy', '--role', 'admin', '--password-stdin'], 'long enough\n');
    await withStore(async (rt) => {
      for (let i = 0; i < 4; i++) await recordAudit(rt.db, rt.clock, { actor: 'tester', action: 'card.lookup', details: { i } });
      const sqlite = rt.kind === 'sqlite';
      await rt.db.raw(sqlite ? 'DROP TRIGGER audit_log_no_update' : 'DROP TRIGGER audit_log_no_update_delete ON audit_log');
      await rt.db('audit_log').whereIn('seq', [2, 4]).update({ actor: 'mallory' });
    });
    const result = await run(['audit', 'verify']);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'giftdesk: audit chain broken: 2 broken links in 5 entries (up to entry 5).\n' +
        '  entry 2: entry content does not match its hash.\n' +
        '  entry 4: entry content does not match its hash.\n',
    );
  });

  test('unknown commands print usage and exit 2', async () => {
    const result = await run(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Usage: giftdesk <command>');
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    // commander's generated help lists every command and the store it works on.
    for (const command of ['users', 'demo', 'audit', 'limits']) expect(help.out).toContain(command);
    expect(help.out).toContain('GIFTDESK_DATA_DIR');
    const sub = await run(['limits', 'set', '--help']);
    expect(sub).toMatchObject({ code: 0 });
    expect(sub.out).toMatch(/credit-max[\s\S]*dual-approval[\s\S]*approval/);
    expect(await run([])).toMatchObject({ code: 2, out: expect.stringContaining('Usage: giftdesk <command>') });
    expect(await run(['users', 'add', '--role', 'agent'])).toMatchObject({
      code: 2,
      err: expect.stringContaining("error: missing required argument 'username'"),
    });
    expect(await run(['users', 'add', 'gus'])).toMatchObject({ code: 2, err: expect.stringContaining("required option '--role <role>'") });
  });

    if (engine === 'postgres') test('in team mode a missing key or an unreachable server exits non-zero with the reason', async () => {
      const noKey = await run(['users', 'add', 'ivy', '--role', 'admin', '--password-stdin'], 'long enough\n').then(async () => {
        const { GIFTDESK_SECRET_KEY: _, ...withoutKey } = current.env;
        current.env = withoutKey;
        return run(['audit', 'verify']);
      });
      expect(noKey).toMatchObject({ code: 1, err: expect.stringContaining('Team mode needs the team\'s claim-code key') });
      current.env = { GIFTDESK_DATABASE_URL: 'postgres://giftdesk:x@127.0.0.1:1/none', GIFTDESK_SECRET_KEY: TEST_SECRET_KEY };
      const unreachable = await run(['audit', 'verify']);
      expect(unreachable.code).toBe(1);
      expect(unreachable.err).toMatch(/^giftdesk: Cannot reach the team database at postgres:\/\/giftdesk:\*\*\*@127\.0\.0\.1:1\/none: the connection was refused/);
    });
  });
}

describe('limits', () => {
  useCliStore('sqlite');

  test('admins set credit limits and supervisors’ approval limits from the CLI', async () => {
    await run(['demo', 'seed']);
    expect((await run(['limits', 'show'])).out).toContain('USD  $500.00 / $250.00');
    expect(await run(['limits', 'set', 'credit-max', 'usd', '400'])).toMatchObject({ code: 0, out: 'Most per manual credit $400.00 (USD).\n' });
    expect(await run(['limits', 'set', 'dual-approval', 'JPY', '20000'])).toMatchObject({ code: 0 });
    expect(await run(['limits', 'set', 'approval', 'sam', 'USD', '150.50'])).toMatchObject({ code: 0, out: 'sam approves USD credits up to $150.50.\n' });
    const shown = (await run(['limits', 'show'])).out;
    expect(shown).toContain('USD  $400.00 / $250.00');
    expect(shown).toContain('JPY  ¥50,000 / ¥20,000');
    expect(shown).toContain('sam  USD  $150.50');
    expect(await run(['limits', 'clear', 'approval', 'sam', 'USD'])).toMatchObject({ code: 0, out: 'sam approves USD credits up to the per-request maximum, $400.00.\n' });
    expect(await run(['limits', 'set', 'approval', 'ava', 'USD', '10'])).toMatchObject({ code: 1, err: 'giftdesk: ava is not a supervisor; only supervisors approve credits.\n' });
    expect(await run(['limits', 'set', 'credit-max', 'JPY', '10.5'])).toMatchObject({ code: 2, err: expect.stringContaining('JPY has no minor unit') });
    expect(await run(['limits', 'set', 'credit-max', 'XYZ', '10'])).toMatchObject({ code: 2, err: expect.stringContaining('a currency is one of') });
    await withStore(async (rt) => {
      expect(await rt.db('audit_log').whereIn('action', ['limits.creditMaxChanged', 'limits.dualApprovalChanged'])).toHaveLength(2);
      expect(await rt.db('audit_log').where({ action: 'limits.approvalChanged' })).toHaveLength(2);
    });
  });
});
