/**
 * The `giftdesk` command line for admin work. It runs the same services as the
 * console against the same data directory / database URL (GIFTDESK_DATA_DIR,
 * GIFTDESK_DATABASE_URL), without Electron.
 *
 * Parsing and help come from commander; the hidden password prompt from
 * @inquirer/password. Exit codes: 0 done, 1 the store refused or failed (the reason on
 * stderr), 2 the command line was wrong (the reason and the usage on stderr).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import password from '@inquirer/password';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isAppError } from '../shared/errors';
import { auditFilter, rangeInOrder } from '../shared/auditFilter';
import { currencyCodes, formatMoney, isCurrency, parseAmount, type Currency } from '../shared/money';
import { limitBoundsInWords, limitCliName, limitInWords, limitNames, limitRules, parseLimitValue } from '../shared/limits';
import { isRole, type Role } from '../shared/roles';
import type { RevealPermission } from '../shared/personalData';
import { ConfigError, defaultUserDataDir, resolveConfig } from './config';
import { openStore } from './db/store';
import { startRuntime, teamConsoleHasNoStore, type Runtime } from './runtime';
import { verifyAuditChain } from './services/audit';
import { exportAudit } from './services/auditExport';
import { createUser } from './services/auth';
import { GENERATE_MAX, generateCards, seedOf } from './services/cardGenerate';
import { importCards } from './services/cardImport';
import { getCreditLimits, listApprovalLimits, setApprovalLimit, setCreditLimit } from './services/credits';
import { approvalChangeMessage, setGeneralLimit } from './services/limits';
import { getLimits } from './services/settings';
import { listUsers, resetPassword, unlockUser, updateUser } from './services/users';
import type { UserView } from '../shared/types';
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
  /** `cards import` only: aborts the import (default: SIGINT, i.e. Ctrl-C). */
  interrupt?: AbortSignal;
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
    // An admin's own choice on personal-data reveals (the role's default is not repeated).
    ...(user.revealPermission === 'granted' ? ['may reveal personal data (granted)'] : []),
    ...(user.revealPermission === 'withdrawn' ? ['may not reveal personal data (withdrawn)'] : []),
  ];
  const last = user.lastSignInAt ? `last sign-in ${user.lastSignInAt}` : 'never signed in';
  return `${user.username}  ${user.role}  ${user.displayName}  ${state.join(', ')}  ${last}`;
}

const REVEAL_CHOICES: Record<string, RevealPermission> = { 'role-default': 'roleDefault', granted: 'granted', withdrawn: 'withdrawn' };

function revealArg(text: string): RevealPermission {
  const choice = REVEAL_CHOICES[text.trim().toLowerCase()];
  if (!choice) throw new InvalidArgumentError('the reveal permission is role-default, granted or withdrawn.');
  return choice;
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
    .description('Change a user\'s role, display name, active state or reveal permission (deactivating ends their open sessions at their next call).')
    .argument('<username>', 'sign-in name')
    .option('--role <role>', 'agent, supervisor or admin', newRoleArg)
    .option('--name <display name>', 'the name shown in the console')
    .option('--activate', 'let the user sign in again')
    .option('--deactivate', 'stop the user from signing in')
    .option('--reveal <permission>', 'who may see personal data in full: role-default, granted or withdrawn', revealArg)
    .action(async (username: string, options: { role?: Role; name?: string; activate?: boolean; deactivate?: boolean; reveal?: RevealPermission }) =>
      run(async () => {
        if (options.activate && options.deactivate) throw new UsageError('--activate and --deactivate exclude each other.');
        const active = options.activate ? true : options.deactivate ? false : undefined;
        if (options.role === undefined && options.name === undefined && active === undefined && options.reveal === undefined) {
          throw new UsageError('users update needs at least one of --role, --name, --activate, --deactivate or --reveal.');
        }
        const user = await withRuntime(io, (rt) =>
          updateUser(rt, actor, { username, role: options.role, displayName: options.name, active, revealPermission: options.reveal }),
        );
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

  const audit = program.command('audit').description('The hash-chained audit log.');

  audit
    .command('export')
    .description(
      'Write the audit entries the options select (all of them without any), newest first, to a CSV file: seq, at, actor, action, ' +
        'subject_type, subject_id, ticket_id, details (JSON), hash. The file appears whole or not at all; the export is audited.',
    )
    .argument('<file.csv>', 'where to write (replaced if it exists)')
    .option('--actor <username>', 'entries by this user')
    .option('--action <prefix>', 'actions starting with this (card. for every card action, card.redeem for redemptions and their refusals)')
    .option('--subject <serial-or-account>', 'entries about this card serial or account id')
    .option('--ticket <id>', 'entries under this ticket')
    .option('--from <time>', 'entries at or after this ISO time (e.g. 2026-11-01T00:00:00Z)')
    .option('--to <time>', 'entries before this ISO time')
    .action(async (file: string, options: { actor?: string; action?: string; subject?: string; ticket?: string; from?: string; to?: string }) =>
      run(async () => {
        const parsed = auditFilter.superRefine(rangeInOrder).safeParse({
          actor: options.actor,
          action: options.action,
          subject: options.subject,
          ticketId: options.ticket,
          from: options.from,
          to: options.to,
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const option = issue.path[0] === 'ticketId' ? 'ticket' : String(issue.path[0]);
          throw new UsageError(`--${option}: ${issue.message}`);
        }
        await refuseOnTeamConsole(io);
        return withRuntime(io, async (rt) => {
          const target = path.resolve(file);
          const result = await exportAudit(rt, actor, parsed.data, target);
          say(`Exported ${result.rowCount} audit entr${result.rowCount === 1 ? 'y' : 'ies'} to ${target}.`);
          return 0;
        });
      }),
    );

  audit
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
  addCardCommands(program, io, actor, run, say);
  return program;
}

/** A console of a team server has no store: refuse before touching anything (as migrate does). */
async function refuseOnTeamConsole(io: CliIo): Promise<void> {
  const config = await resolveConfig(io.env, { dataDir: defaultUserDataDir(io.env) }, { warn: (line) => io.stderr.write(line + '\n') });
  if (config.server) throw new ConfigError(teamConsoleHasNoStore(config.server.url));
}

/** Without a terminal, a line per this many rows read (a log, or a test waiting for progress). */
const REPORT_EVERY = 10_000;

const isTty = (stream: NodeJS.WritableStream) => (stream as { isTTY?: boolean }).isTTY === true;

function addCardCommands(
  program: Command,
  io: CliIo,
  actor: { username: string },
  run: (action: () => Promise<number>) => Promise<void>,
  say: (text: string) => void,
): void {
  const cards = program.command('cards').description('Card batches: import the issuer\'s CSV files, generate synthetic ones.');

  cards
    .command('import')
    .description(
      'Import a CSV batch of cards (header: serial, claim_code, marketplace, face_value, order_number, ordered_at, purchaser_name, ' +
        'recipient_name, delivery_channel, delivery_email, shipping_address). All or nothing by default: any bad row and nothing is ' +
        'written. Re-importing a file changes nothing. Ctrl-C stops it with nothing imported.',
    )
    .argument('<file.csv>', 'the batch file (UTF-8, with or without BOM; CRLF or LF)')
    .option('--skip-invalid', 'import the valid rows; write the refused ones, with the reason, to the rejects file', false)
    .option('--rejects <file>', 'where refused rows go with --skip-invalid (default: <file.csv>.rejects.csv beside the input)')
    .action(async (file: string, options: { skipInvalid: boolean; rejects?: string }) =>
      run(async () => {
        if (options.rejects !== undefined && !options.skipInvalid) throw new UsageError('--rejects goes with --skip-invalid.');
        await refuseOnTeamConsole(io);
        const input = path.resolve(file);
        const size = await stat(input).then(
          (s) => (s.isFile() ? s.size : null),
          () => null,
        );
        if (size === null) throw new UsageError(`${file} is not a file that can be read.`);
        const rejectsPath = options.skipInvalid ? path.resolve(options.rejects ?? `${input}.rejects.csv`) : null;
        if (rejectsPath === input) throw new UsageError('The rejects file cannot be the input file.');
        return withRuntime(io, async (rt) => {
          const controller = new AbortController();
          const onSigint = () => controller.abort();
          if (io.interrupt) io.interrupt.addEventListener('abort', onSigint, { once: true });
          else process.once('SIGINT', onSigint);
          const bar = isTty(io.stderr)
            ? new SingleBar({
                stream: io.stderr,
                format: 'Importing {bar} {percentage}% | {rows} rows | {speed} rows/s | ETA {eta_formatted}',
                fps: 5,
                etaBuffer: 50,
                hideCursor: true,
                clearOnComplete: true,
              })
            : null;
          const began = performance.now();
          let nextReport = REPORT_EVERY;
          bar?.start(Math.max(size, 1), 0, { rows: 0, speed: 0 });
          const rejects = rejectsPath ? createWriteStream(rejectsPath) : null;
          let keepRejects = false;
          try {
            const summary = await importCards(rt, actor, createReadStream(input, { highWaterMark: 1 << 20 }), {
              fileName: path.basename(input),
              skipInvalid: options.skipInvalid,
              ...(rejects ? { rejects } : {}),
              signal: controller.signal,
              onProgress: (p) => {
                const seconds = (performance.now() - began) / 1000;
                bar?.update(p.bytesRead, { rows: p.rowsRead, speed: seconds > 0 ? Math.round(p.rowsRead / seconds) : 0 });
                if (!bar && p.rowsRead >= nextReport) {
                  io.stderr.write(`giftdesk: ${p.rowsRead} rows read\n`);
                  nextReport = (Math.floor(p.rowsRead / REPORT_EVERY) + 1) * REPORT_EVERY;
                }
              },
            });
            keepRejects = summary.rejected > 0;
            bar?.stop();
            const rate = summary.seconds > 0 ? Math.round(summary.rowsRead / summary.seconds) : summary.rowsRead;
            say(
              `Imported ${summary.imported} card${summary.imported === 1 ? '' : 's'} from ${summary.fileName}: ` +
                `${summary.alreadyPresent} already present, ${summary.rejected} rejected; ` +
                `${summary.rowsRead} rows in ${summary.seconds.toFixed(2)} s (${rate} rows/s). Batch ${summary.batchId}, sha256 ${summary.checksum}.`,
            );
            if (summary.rejected > 0 && rejectsPath) say(`Rejected rows, with the reason for each: ${rejectsPath}`);
            return 0;
          } finally {
            bar?.stop();
            if (io.interrupt) io.interrupt.removeEventListener('abort', onSigint);
            else process.removeListener('SIGINT', onSigint);
            if (rejects) {
              await new Promise<void>((resolve) => (rejects.writableFinished ? resolve() : rejects.once('close', () => resolve())));
              // A rejects file only when the import went in and refused something.
              if (!keepRejects) await rm(rejectsPath!, { force: true });
            }
          }
        });
      }),
    );

  cards
    .command('generate')
    .description('Write a synthetic batch of realistic cards (for trials and benchmarks); the same seed writes the same file.')
    .requiredOption('--count <n>', `how many cards (up to ${GENERATE_MAX})`, positiveIntArg)
    .requiredOption('--out <file.csv>', 'the file to write (must not exist yet)')
    .option('--seed <seed>', 'any text or number; the same seed gives the same cards (default: a random one, printed)')
    .action(async (options: { count: number; out: string; seed?: string }) =>
      run(async () => {
        if (options.count > GENERATE_MAX) throw new UsageError(`--count is at most ${GENERATE_MAX}.`);
        await refuseOnTeamConsole(io);
        const seedText = options.seed ?? String(Math.floor(Math.random() * 2 ** 31));
        const out = createWriteStream(path.resolve(options.out), { flags: 'wx' });
        const opened = await new Promise<Error | null>((resolve) => {
          out.once('open', () => resolve(null));
          out.once('error', resolve);
        });
        if (opened) {
          throw new UsageError(
            (opened as NodeJS.ErrnoException).code === 'EEXIST' ? `${options.out} already exists; choose another name or remove it.` : `${options.out}: ${opened.message}`,
          );
        }
        const began = performance.now();
        await generateCards(out, { count: options.count, seed: seedOf(seedText) });
        say(`Wrote ${options.count} cards to ${options.out} (seed ${seedText}) in ${((performance.now() - began) / 1000).toFixed(2)} s.`);
        return 0;
      }),
    );
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
    .description(
      'Limits: sign-in and sessions, redemption and recovery, manual credits. Amounts are decimal, in the currency (e.g. 250.00 USD, 25000 JPY).',
    );

  limits
    .command('show')
    .description("Every limit: the general ones, manual-credit limits per currency and supervisors' own approval limits.")
    .action(() =>
      run(() =>
        withRuntime(io, async (rt) => {
          const general = await getLimits(rt.db);
          const width = Math.max(...limitNames.map((name) => limitCliName(name).length));
          for (const [section, title] of [
            ['signIn', 'Sign-in and sessions'],
            ['redemptionRecovery', 'Redemption and recovery'],
          ] as const) {
            say(`${title}:`);
            for (const name of limitNames.filter((n) => limitRules[n].section === section)) {
              say(`  ${limitCliName(name).padEnd(width)}  ${limitInWords(name, general[name])}  (${limitBoundsInWords(name)})`);
            }
          }
          const current = await getCreditLimits(rt.db);
          say('Manual credits per currency: most per request / two approvals from');
          for (const c of currencyCodes) {
            say(`  ${c}  ${formatMoney(current.maxPerRequestMinor[c], c)} / ${formatMoney(current.dualApprovalMinor[c], c)}`);
          }
          say(`Pending requests expire after ${current.expiryDays} days.`);
          const own = await listApprovalLimits(rt.db);
          say(own.length ? 'Supervisors with their own approval limit:' : 'Every supervisor approves up to the per-request maximum.');
          for (const row of own) say(`  ${row.username}  ${row.currency}  ${formatMoney(row.amountMinor, row.currency)}`);
          return 0;
        }),
      ),
    );

  const set = limits.command('set').description('Change a limit.');
  for (const name of limitNames) {
    const rule = limitRules[name];
    set
      .command(limitCliName(name))
      .description(`${rule.help} ${limitBoundsInWords(name)}.${rule.atNextSignIn ? ' Takes effect at the next sign-in.' : ''}`)
      .argument('<value>', `whole number of ${rule.unit}`)
      .action(async (text: string) =>
        run(async () => {
          const parsed = parseLimitValue(name, text);
          if (!parsed.ok) throw new UsageError(parsed.message);
          return withRuntime(io, async (rt) => {
            say((await setGeneralLimit(rt, actor, { name, value: parsed.value })).message);
            return 0;
          });
        }),
      );
  }
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
            const change = await setCreditLimit(rt, actor, { kind, currency, amountMinor });
            const what = kind === 'maxPerRequest' ? 'Most per manual credit' : 'Two approvals from';
            say(
              change.changed
                ? `${what} ${formatMoney(amountMinor, currency)} (${currency}).`
                : `${what} in ${currency} is already ${formatMoney(amountMinor, currency)}; nothing changed.`,
            );
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
          const change = await setApprovalLimit(rt, actor, { username, currency, amountMinor });
          say(change.changed ? `${username} approves ${currency} credits up to ${formatMoney(amountMinor, currency)}.` : approvalChangeMessage(change, currency));
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
          say(now.changed ? `${username} approves ${currency} credits up to the per-request maximum, ${formatMoney(now.effectiveMinor, currency)}.` : approvalChangeMessage(now, currency));
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
