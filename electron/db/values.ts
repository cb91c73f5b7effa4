/**
 * Column values as the engines hand them back, made uniform once here:
 * SQLite returns timestamps as epoch milliseconds and BIGINT as numbers; PostgreSQL
 * returns `Date` objects and BIGINT as strings.
 */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') {
    const asNumber = Number(value);
    const date = Number.isFinite(asNumber) && /^\d+$/.test(value) ? new Date(asNumber) : new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

export function toIso(value: unknown): string {
  return toDate(value).toISOString();
}

export function toIsoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toIso(value);
}

/** An integer column (BIGINT included) as a JS number, refusing anything unsafe. */
export function toInt(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new TypeError(`not a safe integer: ${String(value)}`);
  }
  return n;
}

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
}

export function parseJsonObject(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined || value === '') return {};
  if (typeof value === 'object') return value as Record<string, unknown>;
  const parsed: unknown = JSON.parse(String(value));
  return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}
