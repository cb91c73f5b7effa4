/**
 * Claim codes at rest. One 32-byte master key (a 0600 file in the data directory, or
 * configuration in team mode) derives two keys with HKDF: one for the HMAC-SHA-256
 * digest used to find a card by its code, one for AES-256-GCM encryption of the code
 * itself, which only the main process ever decrypts (to check a caller's legible
 * fragment). Each ciphertext is bound to its card: the serial is AES-GCM associated
 * data, so a ciphertext copied or swapped into another card's row does not decrypt
 * there. The stored format says so (`v2:` + base64); a bare base64 ciphertext is the
 * old unbound format, which `decrypt` refuses and only `reseal` (start-up, once) reads.
 * A fingerprint of the key is stored in the database so that a changed or
 * lost key is caught at start-up instead of giving silent wrong answers.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalClaimCode } from '../../shared/claimCode';
import { AppError } from '../../shared/errors';

export const KEY_FILE = 'claim-code.key';
const KEY_BYTES = 32;

export interface ClaimCodeVault {
  digest(code: string): string;
  /** Seals a code for the card with this serial (the bound, current format). */
  encrypt(code: string, serial: string): string;
  /**
   * Opens a code sealed for the card with this serial. Throws AppError
   * CLAIM_CODE_UNREADABLE, never a wrong code, when the ciphertext was sealed for another
   * card, is damaged, or is in the old unbound format.
   */
  decrypt(ciphertext: string, serial: string): string;
  /**
   * Re-seals an old unbound ciphertext for the card with this serial (start-up upgrade
   * only); a ciphertext already in the bound format is answered unchanged once it opens.
   */
  reseal(ciphertext: string, serial: string): string;
  /** Identifies the key without revealing it. */
  readonly fingerprint: string;
  /**
   * A keyed pseudonym for text that must be groupable in the audit log but not
   * readable there (an unknown sign-in name may be a password typed in the wrong field).
   */
  pseudonym(text: string): string;
}

/** The stored format of a ciphertext bound to its card's serial. */
export const BOUND_CIPHER_PREFIX = 'v2:';

export function isBoundCipher(ciphertext: string): boolean {
  return ciphertext.startsWith(BOUND_CIPHER_PREFIX);
}

export const CLAIM_CODE_UNREADABLE_MESSAGE =
  "This card's stored claim code cannot be read: it was not sealed for this card, or it is damaged. " +
  'Nothing was compared. Report the card to an administrator: its record may have been altered.';

function unreadable(): AppError {
  return new AppError('CLAIM_CODE_UNREADABLE', CLAIM_CODE_UNREADABLE_MESSAGE);
}

/** Associated data: the canonical serial, labelled so it can never mean anything else. */
function boundTo(serial: string): Buffer {
  return Buffer.from(`giftdesk/claim-code/v2/serial:${serial}`, 'utf8');
}

/**
 * Fresh random IVs taken 12 bytes at a time from a 4 KiB pool refilled from the CSPRNG
 * (one call per 341 IVs instead of one each: an import seals a hundred thousand codes a
 * second). Each IV is copied out and its bytes never used again.
 */
const ivPool = Buffer.alloc(12 * 341);
let ivAt = ivPool.length;

function freshIv(): Buffer {
  if (ivAt + 12 > ivPool.length) {
    randomFillSync(ivPool);
    ivAt = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivAt, ivAt + 12));
  ivAt += 12;
  return iv;
}

function seal(encKey: Buffer, code: string, aad: Buffer | null): string {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', encKey, iv);
  if (aad) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(canonicalClaimCode(code), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Opens iv | tag | body; throws CLAIM_CODE_UNREADABLE on any failure (wrong card, damage). */
function open(encKey: Buffer, base64: string, aad: Buffer | null): string {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length < 29) throw unreadable();
  try {
    const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    if (aad) decipher.setAAD(aad);
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw unreadable();
  }
}

function derive(master: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `giftdesk/${label}`, 32));
}

export function createVault(masterKey: Buffer): ClaimCodeVault {
  if (masterKey.length !== KEY_BYTES) throw new Error(`the claim-code key must be ${KEY_BYTES} bytes`);
  const macKey = derive(masterKey, 'claim-code-digest');
  const encKey = derive(masterKey, 'claim-code-encryption');
  const fingerprint = createHmac('sha256', derive(masterKey, 'fingerprint')).update('giftdesk').digest('hex').slice(0, 32);
  const pseudonymKey = derive(masterKey, 'audit-pseudonym');
  return {
    fingerprint,
    pseudonym: (text) => createHmac('sha256', pseudonymKey).update(text, 'utf8').digest('hex').slice(0, 16),
    digest: (code) => createHmac('sha256', macKey).update(canonicalClaimCode(code)).digest('hex'),
    encrypt: (code, serial) => BOUND_CIPHER_PREFIX + seal(encKey, code, boundTo(serial)),
    decrypt: (ciphertext, serial) => {
      if (!isBoundCipher(ciphertext)) throw unreadable();
      return open(encKey, ciphertext.slice(BOUND_CIPHER_PREFIX.length), boundTo(serial));
    },
    reseal: (ciphertext, serial) => {
      if (isBoundCipher(ciphertext)) {
        open(encKey, ciphertext.slice(BOUND_CIPHER_PREFIX.length), boundTo(serial));
        return ciphertext;
      }
      return BOUND_CIPHER_PREFIX + seal(encKey, open(encKey, ciphertext, null), boundTo(serial));
    },
  };
}

/** Optional OS-level wrapping of the key file (Electron's safeStorage), injected by main. */
export interface KeyWrapper {
  wrap(plain: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

/** Parses a key given as configuration: 64 hex characters or base64 of 32 bytes. */
export function parseConfiguredKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyError('GIFTDESK_SECRET_KEY must be 32 bytes, written as 64 hex characters or base64.');
  }
  return key;
}

const FILE_MAGIC_PLAIN = 'giftdesk-key-v1:plain:';
const FILE_MAGIC_WRAPPED = 'giftdesk-key-v1:wrapped:';

/** Reads the key file in `dataDir`, creating it (mode 0600) on first run. */
export async function loadOrCreateKeyFile(dataDir: string, wrapper?: KeyWrapper): Promise<Buffer> {
  const file = path.join(dataDir, KEY_FILE);
  let text: string | null = null;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === null) {
    const key = randomBytes(KEY_BYTES);
    const body = wrapper
      ? FILE_MAGIC_WRAPPED + wrapper.wrap(key).toString('base64')
      : FILE_MAGIC_PLAIN + key.toString('base64');
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, body + '\n', { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return key;
  }
  let key: Buffer;
  if (text.startsWith(FILE_MAGIC_WRAPPED)) {
    if (!wrapper) throw new KeyError(`${file} is protected by the operating system's key store, which is not available here.`);
    key = wrapper.unwrap(Buffer.from(text.slice(FILE_MAGIC_WRAPPED.length), 'base64'));
  } else if (text.startsWith(FILE_MAGIC_PLAIN)) {
    key = Buffer.from(text.slice(FILE_MAGIC_PLAIN.length), 'base64');
  } else {
    throw new KeyError(`${file} is not a Giftdesk key file.`);
  }
  if (key.length !== KEY_BYTES) throw new KeyError(`${file} is damaged (wrong key length).`);
  return key;
}

export function sameFingerprint(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
