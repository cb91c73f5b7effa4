/**
 * What every service function works over: a Knex handle, a clock and (for calls made
 * on someone's behalf) the acting user. No Electron here, so the IPC layer, the CLI
 * and the tests call the same functions.
 */
import type { Knex } from 'knex';
import type { Role } from '../../shared/roles';
import type { StoreKind } from '../db/dialect';
import type { ClaimCodeVault } from './vault';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The system clock plus an offset that test hooks can move forward (GIFTDESK_TEST_HOOKS=1 only). */
export class OffsetClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** The signed-in user a service acts for. */
export interface Actor {
  id: number;
  username: string;
  role: Role;
}

/**
 * Who acts where no one is signed in: the command line (`cli:<login>`) or the system.
 * Services that only put a name on the record take this; an Actor is one too.
 */
export type Operator = Pick<Actor, 'username'>;

export interface ServiceDeps {
  db: Knex;
  kind: StoreKind;
  clock: Clock;
  vault: ClaimCodeVault;
}
