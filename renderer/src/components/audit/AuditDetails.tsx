/**
 * An entry's details as a labelled list: keys in words, a minor amount beside its
 * currency as money, yes/no for flags, nested objects indented. Never raw JSON.
 */
import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { keyToWords, moneyOf } from './auditWords';
import classes from './AuditDetails.module.css';

function valueText(value: unknown): ReactNode {
  if (value === null || value === undefined) return <Text span c="dimmed" size="sm">none</Text>;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return value.toLocaleString();
  if (typeof value === 'string') return value === '' ? <Text span c="dimmed" size="sm">empty</Text> : value;
  return String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rows of one level: `amountMinor` + `currency` become one "Amount" row. */
function rowsOf(details: Record<string, unknown>): { label: string; value: unknown; money?: string }[] {
  const currency = details['currency'];
  const rows: { label: string; value: unknown; money?: string }[] = [];
  let currencyUsed = false;
  for (const [key, value] of Object.entries(details)) {
    if (key === 'currency') continue;
    const minor = /^(.*?)Minor$/.exec(key);
    const asMoney = minor ? moneyOf(value, currency) : null;
    if (minor && asMoney) {
      currencyUsed = true;
      rows.push({ label: keyToWords(minor[1] || 'amount'), value, money: asMoney });
    } else rows.push({ label: keyToWords(key), value });
  }
  if (currency !== undefined && !currencyUsed) rows.push({ label: 'Currency', value: currency });
  return rows;
}

export function AuditDetails({ details, label = 'Details' }: { details: Record<string, unknown>; label?: string }) {
  const rows = rowsOf(details);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No details recorded.
      </Text>
    );
  }
  return (
    <dl className={classes.list} aria-label={label}>
      {rows.map((row) => (
        <div key={row.label} className={classes.item}>
          <dt className={classes.term}>{row.label}</dt>
          <dd className={classes.value}>
            {row.money ??
              (isObject(row.value) ? (
                <AuditDetails details={row.value} label={row.label} />
              ) : Array.isArray(row.value) ? (
                row.value.every((v) => !isObject(v)) ? (
                  row.value.map((v) => (typeof v === 'string' ? v : String(valueText(v)))).join(', ') || <Text span c="dimmed" size="sm">none</Text>
                ) : (
                  row.value.map((v, i) => <AuditDetails key={i} details={isObject(v) ? v : { value: v }} label={`${row.label} ${i + 1}`} />)
                )
              ) : (
                valueText(row.value)
              ))}
          </dd>
        </div>
      ))}
    </dl>
  );
}
