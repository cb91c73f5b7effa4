/**
 * Configuration from the environment (DESIGN.md §2). No Electron here: main passes
 * Electron's userData as the default data directory, the CLI computes the same path.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Giftdesk';

export interface GiftdeskConfig {
  dataDir: string;
  databaseUrl: string | null;
  demo: boolean;
  testHooks: boolean;
  secretKey: string | null;
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
    testHooks: flag(env['GIFTDESK_TEST_HOOKS']),
    secretKey: env['GIFTDESK_SECRET_KEY']?.trim() || null,
  };
}
