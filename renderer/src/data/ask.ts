/**
 * A query the user asks by hand (a serial, a search): the question is the query key.
 *
 * An explicit ask (Enter, a button, a suggestion) always reaches the main process, even
 * for a question the cache already holds: an agent who presses Enter again expects a
 * fresh answer, and these reads are audited. Only a screen opened with a question
 * (navigation parameters) is answered from the cache.
 */
import { useQuery, useQueryClient, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { useState } from 'react';

export function useAskedQuery<T, K extends QueryKey>(
  optionsFor: (question: string) => UseQueryOptions<T, Error, T, K>,
  initial: string | null,
) {
  const queryClient = useQueryClient();
  const [asked, setAsked] = useState<string | null>(initial);
  // Nothing is asked until there is a question (the empty key is never fetched).
  const query = useQuery({ ...optionsFor(asked ?? ''), enabled: asked !== null });

  function ask(question: string): void {
    if (question === asked) {
      void query.refetch();
      return;
    }
    // Stale, so the observer for the new key asks instead of showing the cached answer.
    void queryClient.invalidateQueries({ queryKey: optionsFor(question).queryKey, exact: true, refetchType: 'none' });
    setAsked(question);
  }

  return {
    asked,
    query,
    /** An ask is running (the first one, or asking again). */
    busy: asked !== null && query.isFetching,
    ask,
    /** Back to "nothing asked" (the question's answer stays in the cache). */
    forget: () => setAsked(null),
  };
}
