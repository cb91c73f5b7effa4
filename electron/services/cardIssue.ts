/** New serials and claim codes for cards issued by Giftdesk itself (replacements). */
import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { CLAIM_CODE_ALPHABET } from '../../shared/claimCode';
import { SERIAL_LENGTH, SERIAL_PREFIX } from '../../shared/serial';

export async function newUnusedSerial(trx: Knex.Transaction): Promise<string> {
  for (;;) {
    let serial = SERIAL_PREFIX;
    while (serial.length < SERIAL_LENGTH) serial += String(randomInt(10));
    if (!(await trx('cards').where({ serial }).first('id'))) return serial;
  }
}

/** A fresh 14-character code; the digest's unique index rules out a (vanishingly rare) repeat. */
export async function newUnusedClaimCode(trx: Knex.Transaction, digest: (code: string) => string): Promise<string> {
  for (;;) {
    const code = Array.from({ length: 14 }, () => CLAIM_CODE_ALPHABET[randomInt(CLAIM_CODE_ALPHABET.length)]).join('');
    if (!(await trx('cards').where({ claim_code_digest: digest(code) }).first('id'))) return code;
  }
}
