import { Badge } from '@mantine/core';
import type { CardStatus } from '../../../shared/types';

const look: Record<CardStatus, { color: string; label: string }> = {
  active: { color: 'green', label: 'Active' },
  redeemed: { color: 'blue', label: 'Redeemed' },
  void: { color: 'red', label: 'Void' },
};

export function StatusBadge({ status }: { status: CardStatus }) {
  return (
    <Badge color={look[status].color} variant="light" size="lg" aria-label={`Status: ${look[status].label}`}>
      {look[status].label}
    </Badge>
  );
}
