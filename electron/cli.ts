/**
 * The `giftdesk` command line for admin work. It runs the same services as the
 * console against the same data directory / database URL (GIFTDESK_DATA_DIR,
 * GIFTDESK_DATABASE_URL), without Electron.
 *
 * Parsing and help come from commander; the hidden password prompt from
 * @inquirer/password. Exit codes: 0 done, 1 the store refused or failed (the reason on
 * stderr), 2 the command line was wrong (the reason and the usage on stderr).
 */
import { mkdir } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import password from '@inquirer/password';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isAppError } from '../shared/errors';
import { currencyCodes, formatMoney, isCurrency, parseAmount, type Currency } from '../shared/money';
import { isRole, type Role } from '../shared/roles';
import { ConfigError, defaultUserDataDir, resolveConfig } from './config';
import { openStore } from './db/store';
import { startRuntime, teamConsoleHasNoStore, type Runtime } from './runtime';
import { verifyAuditChain } from './services/audit';
import { createUser } from './services/auth';
import { listUsers, resetPassword, unlockUser, updateUser } from './services/users';
import type { UserView } from '../shared/types';
import { getCreditLimits, setApprovalLimit, setCreditLimit } from './services/credits';
import { DEMO_TEAM_REFUSED, isStoreEmpty, seedDemo } from './services/demo';
import { DEFAULT_RATE_LIMIT } from './server/app';
import { DEFAULT_LISTEN, parseListen, serve, type ListenAddress } from './server/serve';
import { version as appVersion } from '../package.json';

/** The command line was wrong: exit 2 with the reason and the usage. */
class UsageError extends Error {}

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** `serve` only: resolves when the server should stop (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<unknown>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

async function askHidden(io: CliIo, message: string): Promise<string> {
  // The prompt ends the stream it writes to when it closes; give it one of its own so
  // the second prompt and everything after it still reach our output.
  const screen = new PassThrough();
  screen.pipe(io.stdout, { end: false });
  try {
    return await password({ message, mask: false }, { input: io.stdin, output: screen });
  } catch (error) {
    // Ctrl+C at the prompt (ExitPromptError): nothing was changed.
    if (error instanceof Error && error.name === 'ExitPromptError') throw new UsageError('cancelled; nothing was changed.');
    throw error;
  } finally {
    screen.unpipe(io.stdout);
  }
}

async function readPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const text = await readAll(io.stdin);
    const secret = text.replace(/\r?\n$/, '');
    if (secret.includes('\n')) throw new UsageError('--password-stdin expects one line: the password.');
    return secret;
  }
  if (!io.stdin.isTTY) {
    throw new UsageError('No terminal to ask for the password: pipe it in with --password-stdin.');
  }
  const first = await askHidden(io, 'Password:');
  const second = await askHidden(io, 'Password again:');
  if (first !== second) throw new UsageError('The two passwords differ; nothing was changed.');
  return first;
}

async function withRuntime<T>(io: CliIo, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = await resolveConfig(io.env, { dataDir: defaultUserDataDir(io.env) }, { warn: (line) => io.stderr.write(line + '\n') });
  config.demo = false; // the CLI seeds only when asked to
  const runtime = await startRuntime(config);
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

// ---------- argument parsers (commander calls them; InvalidArgumentError → exit 2) ----------

function currencyArg(text: string): Currency {
  const code = text.toUpperCase();
  if (!isCurrency(code)) throw new InvalidArgumentError(`a currency is one of ${currencyCodes.join(', ')}.`);
  return code;
}

function listenArg(text: string): ListenAddress {
  const parsed = parseListen(text);
  if (!parsed) throw new InvalidArgumentError('--listen is host:port, e.g. 127.0.0.1:8443, 0.0.0.0:8443 or [::1]:8443.');
  return parsed;
}

function positiveIntArg(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('a whole number above 0.');
  return n;
}

function roleArg(text: string): Role {
  if (!isRole(text)) throw new InvalidArgumentError('users add needs --role agent, supervisor or admin.');
  return text;
}

function newRoleArg(text: string): Role {
  if (!isRole(text)) throw new InvalidArgumentError('the role is agent, supervisor or admin.');
  return text;
}

/** One line per user for `users list` and `users update`. */
function describeUser(user: UserView): string {
  const state = [
    user.active ? 'active' : 'deactivated',
    ...(user.locked ? [`locked until ${user.lockedUntil}`] : []),
    ...(user.mustChangePassword ? ['must change password'] : []),
  ];
  const last = user.lastSignInAt ? `last sign-in ${user.lastSignInAt}` : 'never signed in';
  return `${user.username}  ${user.role}  ${user.displayName}  ${state.join(', ')}  ${last}`;
}

function amountArg(text: string, currency: Currency): number {
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.minor;
}

const STORE_HELP = `
The store is the one the console uses: GIFTDESK_DATA_DIR (default ${defaultUserDataDir()}),
or in team mode GIFTDESK_DATABASE_URL and GIFTDESK_SECRET_KEY (or the data directory's
giftdesk.config.json). Exit codes: 0 done, 1 refused or failed, 2 wrong command line.`;

/** The whole command tree; each action returns its exit code. */
function buildProgram(io: CliIo, done: (code: number) => void): Command {
  const say = (text: string) => io.stdout.write(text + '\n');
  const actor = { username: `cli:${io.env['USER'] ?? 'admin'}` };
  const run = async (action: () => Promise<number>): Promise<void> => done(await action());

  const program = new Command('giftdesk')
    .usage('<command>')
    .description('Admin work on a Giftdesk store: users, limits, the demo dataset, the audit chain.')
    .addHelpText('after', STORE_HELP)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError()
    .exitOverride();

  const users = program.command('users').description('Users of the console.');
  users
    .command('add')
    .description('Create a user. The password is asked for at the terminal (typed twice), or read from standard input.')
    .argument('<username>', 'sign-in name (lower case)')
    .requiredOption('--role <role>', 'agent, supervisor or admin', roleArg)
    .option('--name <display name>', 'the name shown in the console')
    .option('--password-stdin', 'read the password from standard input (one line)', false)
    .action(async (username: string, options: { role: Role; name?: string; passwordStdin: boolean }) =>
      run(async () => {
        const secret = await readPassword(io, options.passwordStdin);
        const user = await withRuntime(io, (rt) =>
          createUser(rt, actor, { username, role: options.role, password: secret, ...(options.name ? { displayName: options.name } : {}) }),
        );
        say(`Created ${user.role} ${user.username} (${user.displayName}).`);
        return 0;
      }),
    );

  users
    .command('list')
    .description('Every user: role, active, sign-in lock, last sign-in, and whether a temporary password must be changed.')
    .action(() =>
      run(() =>
        withRuntime(io, async (rt) => {
          const list = await listUsers(rt, actor);
          if (list.length === 0) say('No users yet: create the first admin with giftdesk users add <username> --role admin, or in the console.');
          for (const user of list) say(describeUser(user));
          return 0;
        }),
      ),
    );
  users
    .command('update')
    .description('Change a user\'s role, display name or active state (deactivating ends their open sessions at their next call).')
    .argument('<username>', 'sign-in name')
    .option('--role <role>', 'agent, supervisor or admin', newRoleArg)
    .option('--name <display name>', 'the name shown in the console')
    .option('--activate', 'let the user sign in again')
    .option('--deactivate', 'stop the user from signing in')
    .action(async (username: string, options: { role?: Role; name?: string; activate?: boolean; deactivate?: boolean }) =>
      run(async () => {
        if (options.activate && options.deactivate) throw new UsageError('--activate and --deactivate exclude each other.');
        const active = options.activate ? true : options.deactivate ? false : undefined;
        if (options.role === undefined && options.name === undefined && active === undefined) {
          throw new UsageError('users update needs at least one of --role, --name, --activate or --deactivate.');
        }
        const user = await withRuntime(io, (rt) => updateUser(rt, actor, { username, role: options.role, displayName: options.name, active }));
        say(`Updated: ${describeUser(user)}`);
        return 0;
      }),
    );
  users
    .command('reset-password')
    .description('Give a user a one-time temporary password (printed once, never stored); they must choose a new one at their next sign-in.')
    .argument('<username>', 'sign-in name')
    .action(async (username: string) =>
      run(() =>
        withRuntime(io, async (rt) => {
          const reset = await resetPassword(rt, actor, { username });
          say(`Temporary password for ${reset.username}: ${reset.temporaryPassword}`);
          say('It is shown this once. Give it to the user; they must choose a new password when they sign in.');
          return 0;
        }),
      ),
    );
  users
    .command('unlock')
    .description('Clear a sign-in lock left by too many failed sign-ins.')
    .argument('<username>', 'sign-in name')
    .action(async (username: string) =>
      run(() =>
        withRuntime(io, async (rt) => {
          const user = await unlockUser(rt, actor, { username });
          say(`Unlocked ${user.username}: they can sign in again.`);
          return 0;
        }),
      ),
    );

  program
    .command('demo')
    .description('The deterministic demo dataset.')
    .command('seed')
    .description('Fill an EMPTY store with the demo dataset (refuses otherwise).')
    .action(() =>
      run(() =>
        withRuntime(io, async (rt) => {
          if (rt.kind === 'postgres') {
            io.stderr.write(`giftdesk: ${DEMO_TEAM_REFUSED}\n`);
            return 1;
          }
          if (!(await isStoreEmpty(rt.db))) {
            io.stderr.write('giftdesk: the store already has data; the demo dataset only goes into an empty store.\n');
            return 1;
          }
          await seedDemo(rt, actor);
          say(`Seeded the demo dataset into ${rt.store.location}. Demo sign-ins: ava/ava-demo, sam/sam-demo, sky/sky-demo, ada/ada-demo.`);
          return 0;
        }),
      ),
    );

  program
    .command('migrate')
    .description(
      'Bring the store\'s schema up to date and nothing else (no key needed). In team mode run it as the role that owns the database: ' +
        "the server's least-privilege runtime role cannot change the schema and refuses to start on one that is behind.",
    )
    .action(() =>
      run(async () => {
        const config = await resolveConfig(io.env, { dataDir: defaultUserDataDir(io.env) }, { warn: (line) => io.stderr.write(line + '\n') });
        // A console of a team server has no store of its own: never create one here.
        if (config.server) throw new ConfigError(teamConsoleHasNoStore(config.server.url));
        await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
        const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
        try {
          const applied = await store.db('knex_migrations').count({ n: '*' }).first();
          say(`Schema up to date at ${store.location}: ${Number(applied?.n ?? 0)} migrations applied.`);
          return 0;
        } finally {
          await store.close();
        }
      }),
    );

  program
    .command('audit')
    .description('The hash-chained audit log.')
    .command('verify')
    .description("Recompute the audit log's hash chain; exit 1 and list every broken link if it is broken.")
    .action(() =>
      run(() =>
        withRuntime(io, async (rt) => {
          const result = await verifyAuditChain(rt.db);
          if (result.intact) {
            say(`Audit chain intact: ${result.checked} entries verified.`);
            return 0;
          }
          const more = result.brokenCount - result.broken.length;
          io.stderr.write(
            `giftdesk: audit chain broken: ${result.brokenCount} broken link${result.brokenCount === 1 ? '' : 's'} in ${result.checked} entries (up to entry ${result.headSeq}).\n` +
              result.broken.map((link) => `  entry ${link.seq}: ${link.reason}.\n`).join('') +
              (more > 0 ? `  … and ${more} more.\n` : ''),
          );
          return 1;
        }),
      ),
    );

  program
    .command('serve')
    .description(
      "Run the team server: the console's channels over HTTPS (POST /rpc/<channel>), events (GET /events), /healthz and /readyz. " +
        'It alone needs the database URL and the claim-code key. Stops gracefully on SIGTERM or SIGINT.',
    )
    .option('--listen <host:port>', `address to listen on (default ${DEFAULT_LISTEN})`, listenArg)
    .option('--tls-cert <file>', 'TLS certificate chain (PEM); plain HTTP is allowed only on a loopback address')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--rate-limit <calls>', `calls per minute from one client address (default ${DEFAULT_RATE_LIMIT.max})`, positiveIntArg)
    .action(async (options: { listen?: ListenAddress; tlsCert?: string; tlsKey?: string; rateLimit?: number }) =>
      run(async () => {
        if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
          throw new UsageError('--tls-cert and --tls-key go together.');
        }
        return serve(
          {
            listen: options.listen ?? parseListen(DEFAULT_LISTEN)!,
            ...(options.tlsCert !== undefined ? { tlsCert: options.tlsCert } : {}),
            ...(options.tlsKey !== undefined ? { tlsKey: options.tlsKey } : {}),
            ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
          },
          { stdout: io.stdout, stderr: io.stderr, env: io.env, ...(io.stopSignal ? { stopSignal: io.stopSignal } : {}) },
          appVersion,
        );
      }),
    );

  addLimitCommands(program, io, actor, run, say);
  return program;
}

function addLimitCommands(
  program: Command,
  io: CliIo,
  actor: { username: string },
  run: (action: () => Promise<number>) => Promise<void>,
  say: (text: string) => void,
): void {
  const limits = program
    .command('limits')
    .description('Manual-credit limits. Amounts are decimal, in the currency (e.g. 250.00 USD, 25000 JPY).');

  limits
    .command('show')
    .description("Manual-credit limits per currency and supervisors' own approval limits.")
    .action(() =>
      run(() =>
        withRuntime(io, async (rt) => {
          const current = await getCreditLimits(rt.db);
          say('Manual credits per currency: most per request / two approvals from');
          for (const c of currencyCodes) {
            say(`  ${c}  ${formatMoney(current.maxPerRequestMinor[c], c)} / ${formatMoney(current.dualApprovalMinor[c], c)}`);
          }
          say(`Pending requests expire after ${current.expiryDays} days.`);
          const own: { username: string; currency: Currency; limit_minor: number }[] = await rt
            .db('approval_limits as l')
            .join('users as u', 'u.id', 'l.user_id')
            .orderBy(['u.username', 'l.currency'])
            .select('u.username', 'l.currency', 'l.limit_minor');
          say(own.length ? 'Supervisors with their own approval limit:' : 'Every supervisor approves up to the per-request maximum.');
          for (const row of own) say(`  ${row.username}  ${row.currency}  ${formatMoney(Number(row.limit_minor), row.currency)}`);
          return 0;
        }),
      ),
    );

  const set = limits.command('set').description('Change a limit.');
  for (const [name, kind, description] of [
    ['credit-max', 'maxPerRequest', 'the most one manual credit may be'],
    ['dual-approval', 'dualApproval', 'from this amount, two supervisors approve'],
  ] as const) {
    set
      .command(name)
      .description(description)
      .argument('<currency>', currencyCodes.join(' | '), currencyArg)
      .argument('<amount>', 'decimal amount in the currency')
      .action(async (currency: Currency, amount: string) =>
        run(async () => {
          const amountMinor = amountArg(amount, currency);
          return withRuntime(io, async (rt) => {
            await setCreditLimit(rt, actor, { kind, currency, amountMinor });
            say(`${kind === 'maxPerRequest' ? 'Most per manual credit' : 'Two approvals from'} ${formatMoney(amountMinor, currency)} (${currency}).`);
            return 0;
          });
        }),
      );
  }
  set
    .command('approval')
    .description("a supervisor's own approval limit")
    .argument('<supervisor>', 'username')
    .argument('<currency>', currencyCodes.join(' | '), currencyArg)
    .argument('<amount>', 'decimal amount in the currency')
    .action(async (username: string, currency: Currency, amount: string) =>
      run(async () => {
        const amountMinor = amountArg(amount, currency);
        return withRuntime(io, async (rt) => {
          await setApprovalLimit(rt, actor, { username, currency, amountMinor });
          say(`${username} approves ${currency} credits up to ${formatMoney(amountMinor, currency)}.`);
          return 0;
        });
      }),
    );

  limits
    .command('clear')
    .description('Remove a limit of your own.')
    .command('approval')
    .description("back to the per-request maximum for this supervisor")
    .argument('<supervisor>', 'username')
    .argument('<currency>', currencyCodes.join(' | '), currencyArg)
    .action(async (username: string, currency: Currency) =>
      run(() =>
        withRuntime(io, async (rt) => {
          const now = await setApprovalLimit(rt, actor, { username, currency, amountMinor: null });
          say(`${username} approves ${currency} credits up to the per-request maximum, ${formatMoney(now[currency], currency)}.`);
          return 0;
        }),
      ),
    );
}

const HELP_CODES = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    if (argv.length === 0) {
      io.stdout.write(program.helpInformation());
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already wrote its message (and the help) to stderr.
      return HELP_CODES.has(error.code) ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`giftdesk: ${error.message}\n\n${program.helpInformation()}`);
      return 2;
    }
    const message = isAppError(error) || error instanceof Error ? error.message : String(error);
    io.stderr.write(`giftdesk: ${message}\n`);
    return 1;
  }
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
