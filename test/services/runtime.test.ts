import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { startRuntime } from '../../electron/runtime';
import { BOUND_CIPHER_PREFIX, createVault, KEY_FILE, parseConfiguredKey } from '../../electron/services/vault';
import { TestClock } from '../support/clock';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-runtime-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const config = (dataDir: string, extra: Partial<{ demo: boolean; secretKey: string | null }> = {}) => ({
  dataDir,
  databaseUrl: null,
  demo: false,
  testHooks: false,
  secretKey: null,
  ...extra,
});

test('first start creates the key file with mode 0600 and the store beside it', async () => {
  const dir = await tempDir();
  const rt = await startRuntime(config(path.join(dir, 'nested', 'data')), { clock: new TestClock() });
  await rt.close();
  const info = await stat(path.join(dir, 'nested', 'data', KEY_FILE));
  expect(info.mode & 0o777).toBe(0o600);
  expect(await stat(path.join(dir, 'nested', 'data', 'giftdesk.sqlite'))).toBeTruthy();
});

test('the same key file is reused on the next start', async () => {
  const dir = await tempDir();
  const first = await startRuntime(config(dir, { demo: true }), { clock: new TestClock() });
  const digest = first.vault.digest('ABCDEFGHIJKLMN');
  await first.close();
  const second = await startRuntime(config(dir), { clock: new TestClock() });
  expect(second.vault.digest('abcd-efghij-klmn')).toBe(digest);
  await second.close();
});

test('a replaced key is refused at start-up instead of giving wrong answers', async () => {
  const dir = await tempDir();
  await (await startRuntime(config(dir, { demo: true }), { clock: new TestClock() })).close();
  const original = await readFile(path.join(dir, KEY_FILE), 'utf8');
  await rm(path.join(dir, KEY_FILE));
  await expect(startRuntime(config(dir), { clock: new TestClock() })).rejects.toThrow(/claim-code key does not match this store/);
  await writeFile(path.join(dir, KEY_FILE), 'garbage');
  await expect(startRuntime(config(dir), { clock: new TestClock() })).rejects.toThrow(/not a Giftdesk key file/);
  await writeFile(path.join(dir, KEY_FILE), original, { mode: 0o600 });
  await (await startRuntime(config(dir), { clock: new TestClock() })).close();
});

test('a configured key (GIFTDESK_SECRET_KEY) is used instead of a file, and checked too', async () => {
  const dir = await tempDir();
  const key = 'ab'.repeat(32);
  await (await startRuntime(config(dir, { secretKey: key, demo: true }), { clock: new TestClock() })).close();
  await expect(stat(path.join(dir, KEY_FILE))).rejects.toThrow();
  await expect(startRuntime(config(dir, { secretKey: 'cd'.repeat(32) }), { clock: new TestClock() })).rejects.toThrow(
    /does not match this store/,
  );
  expect(() => parseConfiguredKey('too-short')).toThrow(/32 bytes/);
});

test('the vault digests canonical codes, encrypts with a fresh IV bound to the serial and detects tampering', () => {
  const vault = createVault(Buffer.alloc(32, 7));
  const serial = '1700000000000000001';
  expect(vault.digest('abcd efghij klmn')).toBe(vault.digest('ABCDEFGHIJKLMN'));
  expect(vault.digest('ABCDEFGHIJKLMN')).toMatch(/^[0-9a-f]{64}$/);
  const a = vault.encrypt('ABCDEFGHIJKLMN', serial);
  const b = vault.encrypt('ABCDEFGHIJKLMN', serial);
  expect(a).not.toBe(b);
  expect(a.startsWith(BOUND_CIPHER_PREFIX)).toBe(true);
  expect(vault.decrypt(a, serial)).toBe('ABCDEFGHIJKLMN');
  // Sealed for one card, it does not open as another's.
  expect(() => vault.decrypt(a, '1700000000000000002')).toThrow(expect.objectContaining({ code: 'CLAIM_CODE_UNREADABLE' }));
  const raw = Buffer.from(a.slice(BOUND_CIPHER_PREFIX.length), 'base64');
  raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
  expect(() => vault.decrypt(BOUND_CIPHER_PREFIX + raw.toString('base64'), serial)).toThrow(expect.objectContaining({ code: 'CLAIM_CODE_UNREADABLE' }));
  expect(() => vault.decrypt('not a ciphertext', serial)).toThrow(expect.objectContaining({ code: 'CLAIM_CODE_UNREADABLE' }));
  expect(createVault(Buffer.alloc(32, 8)).digest('ABCDEFGHIJKLMN')).not.toBe(vault.digest('ABCDEFGHIJKLMN'));
});

test('with an OS key store (safeStorage) the key file is wrapped, and unreadable without it', async () => {
  const dir = await tempDir();
  // A stand-in for Electron's safeStorage: reversible, and not the identity.
  const wrapper = {
    wrap: (plain: Buffer) => Buffer.from(plain.map((b) => b ^ 0xa5)),
    unwrap: (wrapped: Buffer) => Buffer.from(wrapped.map((b) => b ^ 0xa5)),
  };
  const first = await startRuntime(config(dir, { demo: true }), { clock: new TestClock(), keyWrapper: wrapper });
  const digest = first.vault.digest('ABCDEFGHIJKLMN');
  await first.close();
  expect(await readFile(path.join(dir, KEY_FILE), 'utf8')).toMatch(/^giftdesk-key-v1:wrapped:/);
  const again = await startRuntime(config(dir), { clock: new TestClock(), keyWrapper: wrapper });
  expect(again.vault.digest('ABCDEFGHIJKLMN')).toBe(digest);
  await again.close();
  await expect(startRuntime(config(dir), { clock: new TestClock() })).rejects.toThrow(
    /protected by the operating system's key store, which is not available here/,
  );
});
