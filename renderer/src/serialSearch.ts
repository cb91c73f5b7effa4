/** Asking the main process about a card by serial, with its "not found" and "malformed" answers as data. */
import type { QueryKey, UseQueryOptions, UseQueryResult } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { formatSerial, parseSerial } from '../../shared/serial';
import { CallError, errorMessage } from './api';
import { useAskedQuery } from './data/ask';

export type SerialAnswer<T> =
  | { kind: 'found'; value: T }
  | { kind: 'notFound'; serial: string; message: string; suggestions: string[] }
  | { kind: 'invalid'; message: string }
  | { kind: 'error'; message: string };

/** A failed ask as an answer: unknown serials come with the serials one typo away. */
export function failedAnswer(serial: string, error: unknown): SerialAnswer<never> {
  if (error instanceof CallError && error.code === 'CARD_NOT_FOUND') {
    const suggestions = Array.isArray(error.details?.['suggestions']) ? (error.details['suggestions'] as string[]) : [];
    return { kind: 'notFound', serial, message: error.message, suggestions };
  }
  if (error instanceof CallError && error.code === 'SERIAL_INVALID') return { kind: 'invalid', message: error.message };
  return { kind: 'error', message: errorMessage(error) };
}

export type SearchState<T> = { kind: 'none' } | { kind: 'loading' } | SerialAnswer<T>;

/** An ask resets its entry (data/ask.ts), so while it runs the spinner shows, not the old answer. */
function answerOf<T>(asked: string | null, query: UseQueryResult<T>): SearchState<T> {
  if (asked === null) return { kind: 'none' };
  if (query.isPending) return { kind: 'loading' };
  if (query.isError) return failedAnswer(asked, query.error);
  return { kind: 'found', value: query.data };
}

/**
 * The serial field and its answer, for any screen that asks about a card by serial:
 * checks the shape before asking (a malformed serial is flagged under the field), and
 * answers at once when the screen was opened with a serial (from the cache when this
 * window read it already). Enter always asks again.
 */
export function useSerialSearch<T, K extends QueryKey>(queryFor: (serial: string) => UseQueryOptions<T, Error, T, K>, initial: string) {
  const opened = parseSerial(initial);
  const [serial, setSerial] = useState(formatSerial(initial));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const { asked, query, busy, ask, forget } = useAskedQuery(queryFor, initial && opened.ok ? opened.serial : null);
  const input = useRef<HTMLInputElement>(null);

  const answer = answerOf(asked, query);

  function search(raw: string) {
    const parsed = parseSerial(raw);
    if (!parsed.ok) {
      setFieldError(parsed.message);
      input.current?.focus();
      return;
    }
    setFieldError(null);
    ask(parsed.serial);
  }

  // The main process's own shape check lands under the field, like ours.
  const invalid = answer.kind === 'invalid';
  return {
    input,
    serial,
    fieldError: fieldError ?? (answer.kind === 'invalid' ? answer.message : null),
    result: answer.kind === 'invalid' ? ({ kind: 'none' } as SearchState<T>) : answer,
    busy,
    change(value: string) {
      setSerial(value);
      setFieldError(null);
      if (invalid) forget();
    },
    submit(event: FormEvent) {
      event.preventDefault();
      search(serial);
    },
    /** Opens another serial (a suggestion, a replacement) as if typed. */
    open(other: string) {
      setSerial(formatSerial(other));
      search(other);
    },
  };
}
