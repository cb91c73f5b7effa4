import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { EventPayload } from '../../../../shared/contract';
import { useGiftdeskEvent } from '../../data/events';
import { accountKeys, creditKeys } from '../../data/keys';

type Decided = EventPayload<'credits:decided'>;

const notice: Record<Decided['status'], { color: string; title: string; verb: string }> = {
  approved: { color: 'green', title: 'Credit approved', verb: 'was approved and posted' },
  rejected: { color: 'red', title: 'Credit rejected', verb: 'was rejected' },
  expired: { color: 'gray', title: 'Credit request expired', verb: 'expired without a decision' },
  cancelled: { color: 'gray', title: 'Credit request cancelled', verb: 'was cancelled' },
};

/**
 * Tells the requester when someone else decided one of their credit requests (the main
 * process pushes `credits:decided` only to the requester's window), and makes what the
 * decision changed stale.
 */
export function useCreditDecisionNotices(): void {
  const queryClient = useQueryClient();
  useGiftdeskEvent('credits:decided', ({ requestId, status }) => {
    const look = notice[status];
    notifications.show({ color: look.color, title: look.title, message: `Your credit request #${requestId} ${look.verb}.` });
    void queryClient.invalidateQueries({ queryKey: creditKeys.all });
    // The event names the request, not its account: any account on screen may show the new balance.
    if (status === 'approved') void queryClient.invalidateQueries({ queryKey: accountKeys.all });
  });
}
