/** Asking the main process about a card by serial, with its "not found" and "malformed" answers as data. */
import { CallError, errorMessage } from './api';

export type SerialAnswer<T> =
  | { kind: 'found'; value: T }
  | { kind: 'notFound'; serial: string; message: string; suggestions: string[] }
  | { kind: 'invalid'; message: string }
  | { kind: 'error'; message: string };

export async function askBySerial<T>(serial: string, ask: (serial: string) => Promise<T>): Promise<SerialAnswer<T>> {
  try {
    return { kind: 'found', value: await ask(serial) };
  } catch (error) {
    if (error instanceof CallError && error.code === 'CARD_NOT_FOUND') {
      const suggestions = Array.isArray(error.details?.['suggestions']) ? (error.details['suggestions'] as string[]) : [];
      return { kind: 'notFound', serial, message: error.message, suggestions };
    }
    if (error instanceof CallError && error.code === 'SERIAL_INVALID') return { kind: 'invalid', message: error.message };
    return { kind: 'error', message: errorMessage(error) };
  }
}
