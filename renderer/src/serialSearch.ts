/** Asking the main process about a card by serial, with its "not found" and "malformed" answers as data. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatSerial, parseSerial } from '../../shared/serial';
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

export type SearchState<T> = { kind: 'none' } | { kind: 'loading' } | SerialAnswer<T>;

/**
 * The serial field and its answer, for any screen that asks about a card by serial:
 * checks the shape before asking (a malformed serial is flagged under the field),
 * and answers at once when the screen was opened with a serial.
 */
export function useSerialSearch<T>(ask: (serial: string) => Promise<T>, initial: string) {
  const [serial, setSerial] = useState(formatSerial(initial));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [result, setResult] = useState<SearchState<T>>(initial ? { kind: 'loading' } : { kind: 'none' });
  const input = useRef<HTMLInputElement>(null);
  const askRef = useRef(ask);

  useEffect(() => {
    if (!initial) return undefined;
    let live = true;
    void askBySerial(initial, askRef.current).then((next) => {
      if (live) setResult(next);
    });
    return () => {
      live = false;
    };
  }, [initial]);

  async function search(raw: string) {
    const parsed = parseSerial(raw);
    if (!parsed.ok) {
      setFieldError(parsed.message);
      input.current?.focus();
      return;
    }
    setFieldError(null);
    setResult({ kind: 'loading' });
    const next = await askBySerial(parsed.serial, askRef.current);
    if (next.kind === 'invalid') {
      setFieldError(next.message);
      setResult({ kind: 'none' });
    } else setResult(next);
  }

  return {
    input,
    serial,
    fieldError,
    result,
    busy: result.kind === 'loading',
    change(value: string) {
      setSerial(value);
      setFieldError(null);
    },
    submit(event: FormEvent) {
      event.preventDefault();
      void search(serial);
    },
    /** Opens another serial (a suggestion, a replacement) as if typed. */
    open(other: string) {
      setSerial(formatSerial(other));
      void search(other);
    },
  };
}
