/**
 * A revealed value never stays in the renderer's query cache: the reveal mutation has
 * no query key and `gcTime: 0`, and the screen resets it as soon as it answers
 * (RevealableValue.tsx), so the MutationCache lets go of the mutation and its data.
 * Checked here on a real QueryClient built as the renderer builds it.
 */
import { MutationObserver } from '@tanstack/react-query';
import { afterEach, expect, test } from 'vitest';
import { createQueryClient } from '../../renderer/src/data/queryClient';
import { revealMutation } from '../../renderer/src/data/personalData';

const SECRET = 'Dwayne O’Brien';

afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

test('after the answer is taken and the mutation reset, neither cache holds the value', async () => {
  (globalThis as { window?: unknown }).window = {
    giftdesk: {
      pii: {
        reveal: async () => ({
          ok: true,
          data: { subjectType: 'card', subjectId: '1715139270441274567', field: 'purchaserName', value: SECRET, visibleForSeconds: 60, revealsLeftToday: 19 },
        }),
      },
    },
  };
  const client = createQueryClient(() => undefined);
  const observer = new MutationObserver(client, revealMutation());
  const unsubscribe = observer.subscribe(() => undefined);
  let taken: string | null = null;
  await observer.mutate(
    { subjectType: 'card', subjectId: '1715139270441274567', field: 'purchaserName', reason: 'caller disputes the purchase', ticketId: 'T-1' },
    {
      onSuccess: (revealed) => {
        taken = revealed.value;
        observer.reset();
      },
    },
  );
  expect(taken).toBe(SECRET);
  // gcTime 0: the mutation leaves the cache on the next tick after its observer lets go.
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(JSON.stringify(client.getMutationCache().getAll().map((m) => m.state))).not.toContain(SECRET);
  expect(client.getMutationCache().getAll()).toHaveLength(0);
  expect(client.getQueryCache().getAll()).toHaveLength(0);
  expect(JSON.stringify(observer.getCurrentResult())).not.toContain(SECRET);
  unsubscribe();
});

test('without the reset, the default mutation cache would still hold it (what the reset guards against)', async () => {
  (globalThis as { window?: unknown }).window = {
    giftdesk: { pii: { reveal: async () => ({ ok: true, data: { value: SECRET, visibleForSeconds: 60 } }) } },
  };
  const client = createQueryClient(() => undefined);
  const observer = new MutationObserver(client, revealMutation());
  const unsubscribe = observer.subscribe(() => undefined);
  await observer.mutate({ subjectType: 'card', subjectId: '1', field: 'purchaserName', reason: 'caller disputes it', ticketId: 'T-1' });
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(JSON.stringify(client.getMutationCache().getAll().map((m) => m.state))).toContain(SECRET);
  unsubscribe();
});
