/**
 * Main → renderer events (the contract's `events`) become cache invalidations: the
 * renderer never polls. `useGiftdeskEvent` subscribes for a component's lifetime.
 */
import { useEffect, useEffectEvent } from 'react';
import type { EventName, EventPayload } from '../../../shared/contract';

export function useGiftdeskEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const onEvent = useEffectEvent(listener);
  useEffect(() => {
    const api = window.giftdesk;
    if (!api) return undefined;
    return api.on(event, (payload) => onEvent(payload));
  }, [event]);
}
