import { Alert, Button, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../api';
import { DecisionDialog, type Decision } from '../components/credits/DecisionDialog';
import { QueueItem } from '../components/credits/QueueItem';
import { ScreenHeader } from '../components/ScreenHeader';
import { creditQueries } from '../data/credits';
import { useSession } from '../session';

/** Supervisors: pending manual credits, oldest first. */
export function ApprovalsScreen() {
  const { session } = useSession();
  const queue = useQuery(creditQueries.queue());
  const [decision, setDecision] = useState<Decision | null>(null);

  return (
    <Stack maw={1100}>
      <ScreenHeader
        title="Approvals"
        description="Manual credits waiting for a supervisor, oldest first. Nobody approves their own request."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => void queue.refetch()}>
            Refresh
          </Button>
        }
      />
      {queue.error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load the queue" role="alert">
          {errorMessage(queue.error)}
        </Alert>
      )}
      {queue.data?.requests.length === 0 && (
        <Paper withBorder radius="lg" p="xl">
          <Text c="dimmed" ta="center">
            Nothing is waiting for approval.
          </Text>
        </Paper>
      )}
      <Stack aria-label="Approval queue">
        {(queue.data?.requests ?? []).map((request) => (
          <QueueItem key={request.id} request={request} me={session?.user.username ?? ''} onDecide={setDecision} />
        ))}
      </Stack>
      <DecisionDialog decision={decision} onClose={() => setDecision(null)} />
    </Stack>
  );
}
