import { useCallback, useRef } from 'react';

/**
 * Idempotency keys for money-moving calls: the same request (same signature) reuses
 * its key, so a double click or a retry is applied once; a different request gets a
 * new key. `reset()` makes the next request new even if it looks the same.
 */
export function useRequestKey(): { keyFor(signature: string): string; reset(): void } {
  const current = useRef<{ signature: string; key: string } | null>(null);
  const keyFor = useCallback((signature: string) => {
    if (current.current?.signature !== signature) current.current = { signature, key: crypto.randomUUID() };
    return current.current.key;
  }, []);
  const reset = useCallback(() => {
    current.current = null;
  }, []);
  return { keyFor, reset };
}
