import { expect } from 'vitest';
import { checkLedger } from '../../electron/services/ledger';
import type { TestStore } from './store';

/** Every account's stored balance equals the sum of its ledger. Call at the end of every money scenario. */
export async function expectLedgerBalanced(store: TestStore): Promise<void> {
  expect(await checkLedger(store.db)).toEqual([]);
}

let counter = 0;
/** A fresh idempotency key, as the console makes one per distinct request. */
export function newKey(): string {
  counter += 1;
  return `test-key-${process.pid}-${Date.now()}-${counter}`;
}
