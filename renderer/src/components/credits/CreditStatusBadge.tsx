import { Badge } from '@mantine/core';
import type { CreditStatus } from '../../../../shared/credits';

const look: Record<CreditStatus, { color: string; label: string }> = {
  pending: { color: 'yellow', label: 'Pending' },
  approved: { color: 'green', label: 'Approved' },
  rejected: { color: 'red', label: 'Rejected' },
  cancelled: { color: 'gray', label: 'Cancelled' },
  expired: { color: 'gray', label: 'Expired' },
};

export function CreditStatusBadge({ status }: { status: CreditStatus }) {
  return (
    <Badge color={look[status].color} variant="light" aria-label={`Status: ${look[status].label}`}>
      {look[status].label}
    </Badge>
  );
}
