import { Button, ScrollArea, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { CreditRequestView } from '../../../../shared/types';
import { errorMessage } from '../../api';
import { useCancelCredit } from '../../data/credits';
import { formatDateTime, money } from '../../format';
import { CreditStatusBadge } from './CreditStatusBadge';
import { reasonLabel } from './reasonLabel';

/** Who decided, and when or why, in one line. */
function decision(request: CreditRequestView): string {
  if (request.status === 'approved') return `by ${request.decidedBy ?? ''}${request.decidedAt ? `, ${formatDateTime(request.decidedAt)}` : ''}`;
  if (request.status === 'rejected') return `by ${request.decidedBy ?? ''}: ${request.rejectionReason ?? ''}`;
  if (request.status === 'expired') return `after 7 days without a decision`;
  if (request.status === 'pending') return `expires ${formatDateTime(request.expiresAt)}`;
  return '';
}

function CancelButton({ request }: { request: CreditRequestView }) {
  const cancel = useCancelCredit();
  return (
    <Button
      size="compact-sm"
      variant="subtle"
      color="gray"
      loading={cancel.isPending}
      aria-label={`Cancel request ${request.id}`}
      onClick={() =>
        cancel.mutate(
          { requestId: request.id },
          {
            onSuccess: () => notifications.show({ color: 'gray', title: 'Request cancelled', message: `Credit request #${request.id} was cancelled.` }),
            onError: (failure) => notifications.show({ color: 'red', title: 'Not cancelled', message: errorMessage(failure) }),
          },
        )
      }
    >
      Cancel
    </Button>
  );
}

/** The requester's own credit requests; a pending one can be cancelled. */
export function MyRequestsTable({ requests }: { requests: CreditRequestView[] }) {
  return (
    // Focusable so a table wider than the window scrolls from the keyboard.
    <ScrollArea viewportProps={{ tabIndex: 0 }}>
      <Table aria-label="My requests" fz="sm" miw={950} highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Requested</Table.Th>
            <Table.Th>Account</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Ticket</Table.Th>
            <Table.Th>Approvals</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Decision</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.id}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.createdAt)}</Table.Td>
              <Table.Td>{r.account.id}</Table.Td>
              <Table.Td ta="right" fw={600}>
                {money(r.amountMinor, r.currency, r.account.marketplace)}
              </Table.Td>
              <Table.Td>{reasonLabel(r.reason)}</Table.Td>
              <Table.Td>{r.ticketId}</Table.Td>
              <Table.Td>
                {r.approvals.length} of {r.requiredApprovals}
              </Table.Td>
              <Table.Td>
                <CreditStatusBadge status={r.status} />
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {decision(r)}
                </Text>
              </Table.Td>
              <Table.Td>{r.status === 'pending' && <CancelButton request={r} />}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
