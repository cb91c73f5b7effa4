/**
 * Start-up shared by the Electron main process, the CLI and the tests: open and
 * migrate the store, load the claim-code key and check it against the store, bind old
 * stored claim codes to their cards (once), seed the demo dataset into an empty store
 * when asked.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { ConfigError, type GiftdeskConfig } from './config';
import { openStore, type Store } from './db/store';
import { resealUnboundCodes, type ResealReport } from './services/codeSeal';
import { systemClock, type Clock, type ServiceDeps } from './services/context';
import { DEMO_REAL_STORE_REFUSED, DEMO_TEAM_REFUSED, isDemoStore, isStoreEmpty, seedDemo } from './services/demo';
import { getSetting } from './services/settings';
import {
  createVault,
  KeyError,
  loadOrCreateKeyFile,
  parseConfiguredKey,
  sameFingerprint,
  type KeyWrapper,
} from './services/vault';

export interface Runtime extends ServiceDeps {
  store: Store;
  config: GiftdeskConfig;
  /** What this start's upgrade of unbound claim-code ciphertexts did; null when it was done before. */
  codeSeal: ResealReport | null;
  close(): Promise<void>;
}

const FINGERPRINT_SETTING = 'claimCodeKey.fingerprint';

/**
 * The first console to open a store records its key's fingerprint; every later one
 * (any console, in team mode) must match it. Recording is insert-if-absent, so two
 * consoles starting at once with different keys cannot both win.
 */
async function checkKeyFingerprint(store: Store, fingerprint: string, clock: Clock): Promise<void> {
  if ((await getSetting(store.db, FINGERPRINT_SETTING)) === undefined) {
    const cards = await store.db('cards').count({ n: '*' }).first();
    if (Number(cards?.n ?? 0) > 0) {
      throw new KeyError('This store has cards but no record of its claim-code key; refusing to guess.');
    }
    await store.db('settings')
      .insert({ key: FINGERPRINT_SETTING, value: JSON.stringify(fingerprint), updated_at: clock.now() })
      .onConflict('key')
      .ignore();
  }
  const stored = await getSetting(store.db, FINGERPRINT_SETTING);
  if (typeof stored !== 'string' || !sameFingerprint(stored, fingerprint)) {
    throw new KeyError(
      store.kind === 'postgres'
        ? 'This console\'s claim-code key (GIFTDESK_SECRET_KEY, or secretKey in giftdesk.config.json) is not the team\'s: the store\'s codes were protected with a different key. ' +
            'Every console must use the same key; copy it from the first console\'s configuration.'
        : 'The claim-code key does not match this store: its codes were protected with a different key. ' +
            'Restore the original key (the key file in the data directory, or GIFTDESK_SECRET_KEY) instead of creating a new one.',
    );
  }
}

export const teamConsoleHasNoStore = (url: string) =>
  `This desktop is a console of the team server at ${new URL(url).origin}: it has no store of its own. ` +
  'Run admin commands (users, limits, cards import and generate, audit verify, demo, migrate) where the server\'s configuration is, or remove serverUrl to use a solo store.';

export async function startRuntime(
  config: GiftdeskConfig,
  options: { clock?: Clock; keyWrapper?: KeyWrapper } = {},
): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  // A console of a team server has no store of its own: never open (or create) one here.
  if (config.server) throw new ConfigError(teamConsoleHasNoStore(config.server.url));
  // The data directory holds the store and the key: the OS user's alone.
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(config.dataDir, 0o700);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    let masterKey: Buffer;
    if (config.secretKey) masterKey = parseConfiguredKey(config.secretKey);
    else if (store.kind === 'postgres') {
      throw new KeyError(
        'Team mode needs the team\'s claim-code key: set GIFTDESK_SECRET_KEY (or secretKey in giftdesk.config.json) to the same value on every console.',
      );
    } else masterKey = await loadOrCreateKeyFile(config.dataDir, options.keyWrapper);
    const vault = createVault(masterKey);

    await checkKeyFingerprint(store, vault.fingerprint, clock);

    const deps: ServiceDeps = { db: store.db, kind: store.kind, clock, vault };
    // With the key known to be the store's: bind every old unbound ciphertext to its card.
    const codeSeal = await resealUnboundCodes(deps);
    if (codeSeal && codeSeal.unreadable > 0) {
      console.warn(
        `Giftdesk: ${codeSeal.unreadable} card(s) hold a stored claim code that cannot be read with this store's key; ` +
          'they were left as they are and their fragment checks will be refused.',
      );
    }
    if (config.demo) {
      // Published passwords never reach a team store; only a test may ask (see config.demoTeam).
      const teamStoreForTests = config.demoTeam === true && config.testHooks;
      if (store.kind === 'postgres' && !teamStoreForTests) throw new ConfigError(DEMO_TEAM_REFUSED);
      if (await isStoreEmpty(store.db)) await seedDemo(deps, undefined, { teamStoreForTests });
      else if (!(await isDemoStore(store.db))) throw new ConfigError(DEMO_REAL_STORE_REFUSED);
    }
    return { ...deps, store, config, codeSeal, close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}
