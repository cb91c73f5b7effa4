/**
 * The `giftdesk` command line for admin work. It runs the same services as the
 * console against the same data directory / database URL (GIFTDESK_DATA_DIR,
 * GIFTDESK_DATABASE_URL), without Electron.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { isAppError } from '../shared/errors';
import { currencyCodes, formatMoney, isCurrency, parseAmount, type Currency } from '../shared/money';
import { isRole } from '../shared/roles';
import { defaultUserDataDir, resolveConfig } from './config';
import { startRuntime, type Runtime } from './runtime';
import { verifyAuditChain } from './services/audit';
import { createUser } from './services/auth';
import { getCreditLimits, setApprovalLimit, setCreditLimit } from './services/credits';
import { isStoreEmpty, seedDemo } from './services/demo';

const USAGE = `Usage: giftdesk <command>

Commands:
  users add <username> --role agent|supervisor|admin [--name "Display Name"] [--password-stdin]
      Create a user. The password is asked for at the terminal (typed twice), or read
      from standard input with --password-stdin.
  demo seed
      Fill an empty store with the deterministic demo dataset.
  audit verify
      Recompute the audit log's hash chain and report the first broken link.
  limits show
      Manual-credit limits per currency and supervisors' own approval limits.
  limits set credit-max <CUR> <amount>        most one manual credit may be
  limits set dual-approval <CUR> <amount>     from this amount, two supervisors approve
  limits set approval <supervisor> <CUR> <amount>
  limits clear approval <supervisor> <CUR>    back to the per-request maximum
      Amounts are decimal, in the currency (e.g. 250.00 USD, 25000 JPY).

The store is the one the console uses: GIFTDESK_DATA_DIR (default ${defaultUserDataDir()}),
or in team mode GIFTDESK_DATABASE_URL and GIFTDESK_SECRET_KEY (or the data directory's
giftdesk.config.json).`;

class UsageError extends Error {}

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function askHidden(io: CliIo, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    let prompted = false;
    output._writeToOutput = (text: string) => {
      if (!prompted) {
        io.stdout.write(text);
        prompted = true;
      }
    };
    rl.question(prompt, (answer) => {
      io.stdout.write('\n');
      rl.close();
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      reject(new UsageError('cancelled'));
    });
  });
}

async function readPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const text = await readAll(io.stdin);
    const password = text.replace(/\r?\n$/, '');
    if (password.includes('\n')) throw new UsageError('--password-stdin expects one line: the password.');
    return password;
  }
  if (!io.stdin.isTTY) {
    throw new UsageError('No terminal to ask for the password: pipe it in with --password-stdin.');
  }
  const first = await askHidden(io, 'Password: ');
  const second = await askHidden(io, 'Password again: ');
  if (first !== second) throw new UsageError('The two passwords differ; nothing was changed.');
  return first;
}

async function withRuntime<T>(io: CliIo, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = await resolveConfig(io.env, { dataDir: defaultUserDataDir(io.env) });
  config.demo = false; // the CLI seeds only when asked to
  const runtime = await startRuntime(config);
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

function currencyArg(text: string | undefined): Currency {
  const code = (text ?? '').toUpperCase();
  if (!isCurrency(code)) throw new UsageError(`a currency is one of ${currencyCodes.join(', ')}.`);
  return code;
}

function amountArg(text: string | undefined, currency: Currency): number {
  const parsed = parseAmount(text ?? '', currency);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.minor;
}

async function limitsCommand(io: CliIo, command: string | undefined, rest: string[]): Promise<number> {
  const say = (text: string) => io.stdout.write(text + '\n');
  const actor = { username: `cli:${io.env['USER'] ?? 'admin'}` };
  if (command === 'show' && rest.length === 0) {
    return withRuntime(io, async (rt) => {
      const limits = await getCreditLimits(rt.db);
      say('Manual credits per currency: most per request / two approvals from');
      for (const c of currencyCodes) {
        say(`  ${c}  ${formatMoney(limits.maxPerRequestMinor[c], c)} / ${formatMoney(limits.dualApprovalMinor[c], c)}`);
      }
      say(`Pending requests expire after ${limits.expiryDays} days.`);
      const own: { username: string; currency: Currency; limit_minor: number }[] = await rt
        .db('approval_limits as l')
        .join('users as u', 'u.id', 'l.user_id')
        .orderBy(['u.username', 'l.currency'])
        .select('u.username', 'l.currency', 'l.limit_minor');
      say(own.length ? 'Supervisors with their own approval limit:' : 'Every supervisor approves up to the per-request maximum.');
      for (const row of own) say(`  ${row.username}  ${row.currency}  ${formatMoney(Number(row.limit_minor), row.currency)}`);
      return 0;
    });
  }
  if (command === 'set' && (rest[0] === 'credit-max' || rest[0] === 'dual-approval') && rest.length === 3) {
    const currency = currencyArg(rest[1]);
    const amountMinor = amountArg(rest[2], currency);
    return withRuntime(io, async (rt) => {
      const kind = rest[0] === 'credit-max' ? 'maxPerRequest' : 'dualApproval';
      await setCreditLimit(rt, actor, { kind, currency, amountMinor });
      say(`${kind === 'maxPerRequest' ? 'Most per manual credit' : 'Two approvals from'} ${formatMoney(amountMinor, currency)} (${currency}).`);
      return 0;
    });
  }
  if (command === 'set' && rest[0] === 'approval' && rest.length === 4) {
    const currency = currencyArg(rest[2]);
    const amountMinor = amountArg(rest[3], currency);
    return withRuntime(io, async (rt) => {
      await setApprovalLimit(rt, actor, { username: rest[1]!, currency, amountMinor });
      say(`${rest[1]} approves ${currency} credits up to ${formatMoney(amountMinor, currency)}.`);
      return 0;
    });
  }
  if (command === 'clear' && rest[0] === 'approval' && rest.length === 3) {
    const currency = currencyArg(rest[2]);
    return withRuntime(io, async (rt) => {
      const limits = await setApprovalLimit(rt, actor, { username: rest[1]!, currency, amountMinor: null });
      say(`${rest[1]} approves ${currency} credits up to the per-request maximum, ${formatMoney(limits[currency], currency)}.`);
      return 0;
    });
  }
  throw new UsageError(`unknown limits command: limits ${[command, ...rest].join(' ')}`);
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const say = (text: string) => io.stdout.write(text + '\n');
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [group, command, ...rest] = positionals;
    if (values.help || !group) {
      say(USAGE);
      return values.help ? 0 : 2;
    }
    if (group === 'users' && command === 'add') {
      const username = rest[0];
      if (!username || rest.length > 1) throw new UsageError('users add takes exactly one username.');
      const role = values.role;
      if (!role || !isRole(role)) throw new UsageError('users add needs --role agent, supervisor or admin.');
      const password = await readPassword(io, values['password-stdin'] === true);
      const user = await withRuntime(io, (rt) =>
        createUser(rt, { username: `cli:${io.env['USER'] ?? 'admin'}` }, {
          username,
          role,
          password,
          ...(values.name ? { displayName: values.name } : {}),
        }),
      );
      say(`Created ${user.role} ${user.username} (${user.displayName}).`);
      return 0;
    }
    if (group === 'demo' && command === 'seed' && rest.length === 0) {
      return await withRuntime(io, async (rt) => {
        if (!(await isStoreEmpty(rt.db))) {
          io.stderr.write('giftdesk: the store already has data; the demo dataset only goes into an empty store.\n');
          return 1;
        }
        await seedDemo(rt, { username: `cli:${io.env['USER'] ?? 'admin'}` });
        say(`Seeded the demo dataset into ${rt.store.location}. Demo sign-ins: ava/ava-demo, sam/sam-demo, sky/sky-demo, ada/ada-demo.`);
        return 0;
      });
    }
    if (group === 'audit' && command === 'verify' && rest.length === 0) {
      return await withRuntime(io, async (rt) => {
        const result = await verifyAuditChain(rt.db);
        if (result.intact) {
          say(`Audit chain intact: ${result.checked} entries verified.`);
          return 0;
        }
        io.stderr.write(`giftdesk: audit chain broken at entry ${result.firstBrokenSeq}: ${result.reason}.\n`);
        return 1;
      });
    }
    if (group === 'limits') return await limitsCommand(io, command, rest);
    throw new UsageError(`unknown command: ${positionals.join(' ')}`);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      io.stderr.write(`giftdesk: ${error.message}\n\n${USAGE}\n`);
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
