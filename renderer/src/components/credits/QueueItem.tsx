import { Badge, Button, Collapse, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconChevronDown, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { CreditRequestView } from '../../../../shared/types';
import { formatAge, money } from '../../format';
import { AccountHistory } from './AccountHistory';
import type { Decision } from './DecisionDialog';
import { reasonLabel } from './reasonLabel';

/** One pending request in the queue, with what a supervisor needs to decide it. */
export function QueueItem({ request, me, onDecide }: { request: CreditRequestView; me: string; onDecide(d: Decision): void }) {
  const [open, setOpen] = useState(false);
  const mine = request.requester.username === me;
  const approvedByMe = request.approvals.some((a) => a.approver === me);
  return (
    <Paper withBorder radius="lg" p="md" component="article" aria-label={`Credit request ${request.id}`} tabIndex={-1}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={3} fz="lg">
              {money(request.amountMinor, request.currency, request.account.marketplace)}
            </Title>
            <Text c="dimmed">to {request.account.id}</Text>
            <Badge variant="light" color={request.requiredApprovals === 2 ? 'orange' : 'blue'}>
              {request.approvals.length} of {request.requiredApprovals} approvals
            </Badge>
          </Group>
          <Text size="sm">
            {reasonLabel(request.reason)} · ticket {request.ticketId}
            {request.serial ? ` · card ${request.serial}` : ''}
          </Text>
          {request.note && (
            <Text size="sm" c="dimmed">
              “{request.note}”
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Requested by {request.requester.displayName} ({request.requester.username}) {formatAge(request.createdAt)}
            {request.approvals.length > 0 ? ` · approved so far by ${request.approvals.map((a) => a.approver).join(', ')}` : ''}
          </Text>
        </Stack>
        <Stack gap={6} align="flex-end">
          <Group gap="xs" wrap="nowrap">
            <Button
              color="green"
              leftSection={<IconCheck size={16} aria-hidden />}
              disabled={mine || approvedByMe}
              onClick={() => onDecide({ kind: 'approve', request })}
            >
              Approve
            </Button>
            <Button color="red" variant="light" leftSection={<IconX size={16} aria-hidden />} onClick={() => onDecide({ kind: 'reject', request })}>
              Reject
            </Button>
          </Group>
          {mine && (
            <Text size="xs" c="orange">
              You requested this — another supervisor must approve it.
            </Text>
          )}
          {approvedByMe && !mine && (
            <Text size="xs" c="dimmed">
              You approved it; waiting for a second supervisor.
            </Text>
          )}
        </Stack>
      </Group>
      <Button variant="subtle" size="compact-sm" mt="xs" rightSection={<IconChevronDown size={14} aria-hidden />} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide the account' : "The account's recent history"}
      </Button>
      <Collapse expanded={open}>{open && <AccountHistory accountId={request.account.id} />}</Collapse>
    </Paper>
  );
}
