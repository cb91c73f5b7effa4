import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconPlus, IconRefresh } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreditReason, CreditStatus } from '../../../shared/credits';
import { errorMessage } from '../api';
import { MyRequestsTable } from '../components/credits/MyRequestsTable';
import { RequestCreditDialog, type CreditPrefill } from '../components/credits/RequestCreditDialog';
import { ScreenHeader } from '../components/ScreenHeader';
import { creditQueries } from '../data/credits';
import { useNavigation } from '../shell/navigation';

type Filter = 'all' | CreditStatus;

const filters: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'expired', label: 'Expired' },
];

/** Opened from a failed recovery: the request starts with its card, ticket and reason. */
function prefillFrom(params: Record<string, string>): CreditPrefill | null {
  if (!params['serial'] && !params['ticketId']) return null;
  return { serial: params['serial'], ticketId: params['ticketId'], reason: params['reason'] as CreditReason | undefined };
}

/** "My requests": every manual credit I asked for, and a new request. */
export function CreditsScreen() {
  const { params } = useNavigation();
  const prefill = prefillFrom(params);
  const [filter, setFilter] = useState<Filter>('all');
  const [requesting, setRequesting] = useState(prefill !== null);
  // Another filter keeps the rows shown until its own arrive.
  const mine = useQuery({ ...creditQueries.mine(filter === 'all' ? undefined : filter), placeholderData: keepPreviousData });

  return (
    <Stack maw={1200}>
      <ScreenHeader
        title="Manual credits"
        description="Credits you requested for customers. A supervisor approves each one before any money moves."
        actions={
          <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setRequesting(true)}>
            New request
          </Button>
        }
      />
      <Group justify="space-between">
        <SegmentedControl value={filter} onChange={(v) => setFilter(v as Filter)} aria-label="Show requests" data={filters} />
        <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => void mine.refetch()}>
          Refresh
        </Button>
      </Group>
      {mine.error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load your requests" role="alert">
          {errorMessage(mine.error)}
        </Alert>
      )}
      <Paper withBorder radius="lg" p="md">
        <MyRequestsTable requests={mine.data?.requests ?? []} />
        {mine.data?.requests.length === 0 && (
          <Text c="dimmed" ta="center" py="lg">
            No requests{filter === 'all' ? ' yet' : ` with status ${filter}`}.
          </Text>
        )}
      </Paper>
      <RequestCreditDialog opened={requesting} prefill={prefill ?? undefined} onClose={() => setRequesting(false)} />
    </Stack>
  );
}
