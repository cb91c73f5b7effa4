/**
 * A query the user asks by hand (a serial, a search): the question is the query key.
 *
 * An explicit ask (Enter, a button, a suggestion) always reaches the main process, even
 * for a question the cache already holds: an agent who presses Enter again expects a
 * fresh answer, and these reads are audited. So an ask first resets the question's
 * entry (its old answer is not shown meanwhile). A screen opened with a question
 * (navigation parameters) is answered from the cache, and a refresh after a mutation
 * (invalidation) keeps the answer on screen until the new one arrives.
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
    // Asking the shown question again refetches it at once (it is observed); a new one is
    // fetched when its observer mounts.
    void queryClient.resetQueries({ queryKey: optionsFor(question).queryKey, exact: true });
    setAsked(question);
  }

  return {
    asked,
    query,
    /** Waiting for the answer to an ask (not a background refresh). */
    busy: asked !== null && query.isPending,
    ask,
    /** Back to "nothing asked" (the question's answer stays in the cache). */
    forget: () => setAsked(null),
  };
}
