import type { Knex } from 'knex';
import { defaultLimits, type Limits } from '../../shared/limits';

const LIMITS_PREFIX = 'limits.';

/** The limits in force: stored settings over the defaults of DESIGN.md §1. */
export async function getLimits(db: Knex): Promise<Limits> {
  const rows: { key: string; value: string }[] = await db('settings')
    .where('key', 'like', `${LIMITS_PREFIX}%`)
    .select('key', 'value');
  const limits: Limits = { ...defaultLimits };
  for (const row of rows) {
    const name = row.key.slice(LIMITS_PREFIX.length) as keyof Limits;
    if (name in limits) {
      const value = Number(JSON.parse(row.value));
      if (Number.isSafeInteger(value) && value > 0) limits[name] = value;
    }
  }
  return limits;
}

export async function getSetting(db: Knex, key: string): Promise<unknown> {
  const row = await db('settings').where({ key }).first('value');
  return row ? JSON.parse(row.value) : undefined;
}

/** Inserts or replaces a setting (portable upsert). */
export async function putSetting(db: Knex, key: string, value: unknown, at: Date): Promise<void> {
  await db('settings')
    .insert({ key, value: JSON.stringify(value), updated_at: at })
    .onConflict('key')
    .merge(['value', 'updated_at']);
}
