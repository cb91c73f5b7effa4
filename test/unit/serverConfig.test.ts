/**
 * A console configured for a team server: the server URL (and optionally a CA file or a
 * pinned fingerprint) from giftdesk.config.json or GIFTDESK_SERVER_*, and never a
 * database URL or key beside it.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runCli } from '../../electron/cli';
import { CONFIG_FILE, resolveConfig } from '../../electron/config';
import { makeTestCertificate } from '../support/tls';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'giftdesk-server-config-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const writeConfig = (value: unknown) => writeFile(path.join(dataDir, CONFIG_FILE), JSON.stringify(value));

test('the file names the server, a CA file (relative to the data directory) and a fingerprint', async () => {
  const tls = makeTestCertificate();
  await writeFile(path.join(dataDir, 'team-ca.pem'), tls.cert);
  await writeConfig({ serverUrl: 'https://giftdesk.example.com:8443', serverCa: 'team-ca.pem', serverFingerprint: tls.fingerprint });
  const config = await resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir });
  expect(config.server).toEqual({ url: 'https://giftdesk.example.com:8443', ca: tls.cert, fingerprint: tls.fingerprint });
  expect(config.databaseUrl).toBeNull();
  expect(config.secretKey).toBeNull();
});

test('the environment wins over the file', async () => {
  await writeConfig({ serverUrl: 'https://a.example.com' });
  const config = await resolveConfig({ GIFTDESK_DATA_DIR: dataDir, GIFTDESK_SERVER_URL: 'https://b.example.com' }, { dataDir });
  expect(config.server).toEqual({ url: 'https://b.example.com', ca: null, fingerprint: null });
});

test('a console with a server holds no database URL and no key', async () => {
  await writeConfig({ serverUrl: 'https://a.example.com', databaseUrl: 'postgres://u:hunter2pw@db/giftdesk' });
  const refused = await resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir }).catch((e: Error) => e);
  expect(refused).toBeInstanceOf(Error);
  expect((refused as Error).message).toMatch(/holds no database URL and no claim-code key/);
  expect((refused as Error).message).not.toContain('hunter2pw');
  await writeConfig({ serverUrl: 'https://a.example.com' });
  await expect(resolveConfig({ GIFTDESK_DATA_DIR: dataDir, GIFTDESK_SECRET_KEY: 'k'.repeat(44) }, { dataDir })).rejects.toThrow(
    /holds no database URL/,
  );
});

test('bad server settings are named', async () => {
  await writeConfig({ serverUrl: 'http://giftdesk.example.com' });
  await expect(resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir })).rejects.toThrow(/plain http to another machine/);
  await writeConfig({ serverUrl: 'https://a.example.com', serverFingerprint: 'nope' });
  await expect(resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir })).rejects.toThrow(/64 hex digits/);
  await writeConfig({ serverUrl: 'https://a.example.com', serverCa: 'missing.pem' });
  await expect(resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir })).rejects.toThrow(/missing\.pem cannot be read \(ENOENT\)/);
  await writeFile(path.join(dataDir, 'junk.pem'), 'hello');
  await writeConfig({ serverUrl: 'https://a.example.com', serverCa: 'junk.pem' });
  await expect(resolveConfig({ GIFTDESK_DATA_DIR: dataDir }, { dataDir })).rejects.toThrow(/holds no PEM certificate/);
});

test('on a console of a team server, admin commands say where to run them and create no store here', async () => {
  await writeConfig({ serverUrl: 'https://giftdesk.example.com:8443' });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c) => (err += c));
  const code = await runCli(['audit', 'verify'], { stdin: Readable.from(['']), stdout, stderr, env: { GIFTDESK_DATA_DIR: dataDir } });
  expect(code).toBe(1);
  expect(err).toContain('is a console of the team server at https://giftdesk.example.com:8443');
  expect((await readdir(dataDir)).sort()).toEqual([CONFIG_FILE]);
});
