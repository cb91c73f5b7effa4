import fixtures from '../../fixtures/demo.json';
import type { DemoFixtures, DemoUsername } from '../../../electron/services/demo';

/** The demo dataset's named fixtures (test/fixtures/demo.json). */
export const demo = fixtures as DemoFixtures;
export type DemoUserName = DemoUsername;

/** `1700 1234 5678 9012 345` */
export function grouped(serial: string): string {
  return serial.replace(/^(\d{4})(\d{4})(\d{4})(\d{4})(\d{3})$/, '$1 $2 $3 $4 $5');
}
