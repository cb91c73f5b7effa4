import { expect } from 'vitest';
import { AppError } from '../../shared/errors';

/** The AppError a promise rejects with (and a failed test if it resolves or throws anything else). */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
