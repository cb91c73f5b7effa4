/**
 * Configuration from the environment (DESIGN.md §2). No Electron here: main passes
 * Electron's userData as the default data directory, the CLI computes the same path.
 */
import { open, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { normaliseFingerprint, parseServerUrl, type ServerEndpoint } from './remote/client';

export const APP_NAME = 'Giftdesk';

export interface GiftdeskConfig {
  dataDir: string;
  databaseUrl: string | null;
  demo: boolean;
  testHooks: boolean;
  /**
   * Tests only: let the demo dataset (published passwords) into a team store. Honoured
   * only together with test hooks (GIFTDESK_DEMO_TEAM=1 and GIFTDESK_TEST_HOOKS=1; main
   * turns test hooks off in a packaged app), so a real team store never gets it.
   */
  demoTeam?: boolean;
  secretKey: string | null;
  /**
   * Team server mode: the console talks to `giftdesk serve` at this endpoint and holds
   * no database URL and no key (null: the console opens its own store).
   */
  server?: ServerEndpoint | null;
}

function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** Electron's `app.getPath('userData')` for this app, computed without Electron. */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(os.homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', APP_NAME);
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(os.homedir(), '.config'), APP_NAME);
}

export function configFromEnv(env: NodeJS.ProcessEnv, defaults: { dataDir: string }): GiftdeskConfig {
  const dataDir = env['GIFTDESK_DATA_DIR']?.trim() ? path.resolve(env['GIFTDESK_DATA_DIR']) : defaults.dataDir;
  return {
    dataDir,
    databaseUrl: env['GIFTDESK_DATABASE_URL']?.trim() || null,
    demo: flag(env['GIFTDESK_DEMO']),
    // A release build ignores the variables altogether (their names are not even in the bundle).
    testHooks: __GIFTDESK_TEST_BUILD__ ? flag(env['GIFTDESK_TEST_HOOKS']) : false,
    demoTeam: __GIFTDESK_TEST_BUILD__ ? flag(env['GIFTDESK_DEMO_TEAM']) && flag(env['GIFTDESK_TEST_HOOKS']) : false,
    secretKey: env['GIFTDESK_SECRET_KEY']?.trim() || null,
  };
}

/** The team server settings from the environment (GIFTDESK_SERVER_*), over the file's. */
function serverSettings(env: NodeJS.ProcessEnv, file: ConfigFile): { url: string; caFile: string | null; fingerprint: string | null } | null {
  const url = env['GIFTDESK_SERVER_URL']?.trim() || file.serverUrl?.trim() || '';
  if (!url) return null;
  return {
    url,
    caFile: env['GIFTDESK_SERVER_CA']?.trim() || file.serverCa?.trim() || null,
    fingerprint: env['GIFTDESK_SERVER_FINGERPRINT']?.trim() || file.serverFingerprint?.trim() || null,
  };
}

/** The optional configuration file in the data directory (team mode settings). */
export const CONFIG_FILE = 'giftdesk.config.json';

interface ConfigFile {
  databaseUrl?: string;
  secretKey?: string;
  serverUrl?: string;
  serverCa?: string;
  serverFingerprint?: string;
}

const CONFIG_KEYS = ['databaseUrl', 'secretKey', 'serverUrl', 'serverCa', 'serverFingerprint'] as const;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Where a one-line warning goes (main: the console's log; CLI: stderr). Never given a secret. */
export type Warn = (line: string) => void;

/**
 * Reads the file, first making it the OS user's alone: it may hold the team's database
 * password and claim-code key, so a group- or world-readable one is tightened to 0600
 * (POSIX; Windows has no such mode bits) with a warning that names the file, never its
 * content. The mode is read and changed on the open file, so a swapped path cannot
 * redirect the change.
 */
async function readConfigFile(dataDir: string, warn: Warn): Promise<ConfigFile> {
  const file = path.join(dataDir, CONFIG_FILE);
  let text: string;
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    if (process.platform !== 'win32') {
      const mode = (await handle.stat()).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        const was = mode.toString(8).padStart(4, '0');
        try {
          await handle.chmod(0o600);
          warn(`Giftdesk: ${file} was readable by other users (mode ${was}); its mode is now 0600.`);
        } catch {
          warn(`Giftdesk: ${file} is readable by other users (mode ${was}) and could not be changed; make it 0600 (chmod 600).`);
        }
      }
    }
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file} is not valid JSON.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${file} must hold a JSON object such as {"databaseUrl": "postgres://…", "secretKey": "…"}.`);
  }
  const out: ConfigFile = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(`${file}: unknown setting "${key}" (known: ${CONFIG_KEYS.join(', ')}).`);
    }
    if (typeof value !== 'string') throw new ConfigError(`${file}: "${key}" must be a string.`);
    out[key as (typeof CONFIG_KEYS)[number]] = value;
  }
  return out;
}

/**
 * The environment, over the data directory's giftdesk.config.json, over defaults:
 * GIFTDESK_DATABASE_URL and GIFTDESK_SECRET_KEY win over the file's databaseUrl and
 * secretKey.
 */
export async function resolveConfig(
  env: NodeJS.ProcessEnv,
  defaults: { dataDir: string },
  options: { warn?: Warn } = {},
): Promise<GiftdeskConfig> {
  const config = configFromEnv(env, defaults);
  const file = await readConfigFile(config.dataDir, options.warn ?? ((line) => console.warn(line)));
  const resolved = {
    ...config,
    databaseUrl: config.databaseUrl ?? (file.databaseUrl?.trim() || null),
    secretKey: config.secretKey ?? (file.secretKey?.trim() || null),
  };
  const server = serverSettings(env, file);
  if (!server) return resolved;
  if (resolved.databaseUrl || resolved.secretKey) {
    throw new ConfigError(
      'A console with a team server (serverUrl) holds no database URL and no claim-code key: remove databaseUrl and secretKey ' +
        '(and GIFTDESK_DATABASE_URL / GIFTDESK_SECRET_KEY) from this desktop — they belong only in the server\'s configuration.',
    );
  }
  try {
    parseServerUrl(server.url);
    if (server.fingerprint) normaliseFingerprint(server.fingerprint);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  let ca: string | null = null;
  if (server.caFile) {
    const caPath = path.resolve(config.dataDir, server.caFile);
    try {
      ca = await readFile(caPath, 'utf8');
    } catch (error) {
      throw new ConfigError(`serverCa: the CA file ${caPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`serverCa: ${caPath} holds no PEM certificate.`);
  }
  return { ...resolved, server: { url: server.url, ca, fingerprint: server.fingerprint } };
}
