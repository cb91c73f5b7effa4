/**
 * The ticket view: everything done under one ticket id, across users and screens, as
 * one timeline, oldest first (it reads as the story of the case). Each item says when,
 * who and what in words, with links to its card or account; "Details" opens the entry.
 */
import { Alert, Button, Group, Paper, Stack, Text, TextInput, Timeline } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { auditFilterFields } from '../../../../shared/auditFilter';
import type { AuditEntryView } from '../../../../shared/types';
import { errorMessage } from '../../api';
import { auditQueries, TICKET_ENTRY_LIMIT } from '../../data/audit';
import { contractForm } from '../../data/forms';
import { formatDateTime } from '../../format';
import { EntryLinks } from './AuditEntryDrawer';
import { describeEntry } from './auditWords';

const ticketSchema = z.object({ ticketId: auditFilterFields.ticketId.unwrap() });

interface TicketViewProps {
  ticketId: string;
  onAsk(ticketId: string): void;
  onOpenEntry(entry: AuditEntryView): void;
}

export function TicketView({ ticketId, onAsk, onOpenEntry }: TicketViewProps) {
  const form = useForm(contractForm(ticketSchema, { ticketId }, { validateInputOnBlur: false }));
  const ticket = useQuery({ ...auditQueries.ticket(ticketId), enabled: ticketId !== '' });
  const submit = form.onSubmit((values) => onAsk(values.ticketId.trim()));
  const entries = ticket.data?.entries ?? [];

  return (
    <Stack>
      <Paper withBorder radius="lg" p="md" component="form" onSubmit={submit} aria-label="Open a ticket" noValidate>
        <Group align="flex-start" wrap="nowrap">
          <TextInput label="Ticket id" placeholder="e.g. T-48213" autoComplete="off" style={{ flex: 1, maxWidth: 360 }} {...form.getInputProps('ticketId')} />
          <Button type="submit" mt={25} leftSection={<IconSearch size={16} aria-hidden />} loading={ticket.isFetching}>
            Show timeline
          </Button>
        </Group>
      </Paper>

      {ticket.isError && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load the ticket" role="alert">
          {errorMessage(ticket.error)}
        </Alert>
      )}

      {ticket.isSuccess && (
        <Paper withBorder radius="lg" p="lg" component="section" aria-label={`Ticket ${ticketId}`}>
          <Text fw={600} mb="md" role="status">
            {entries.length === 0
              ? `Nothing was done under ticket ${ticketId}.`
              : `Ticket ${ticketId}: ${entries.length === 1 ? '1 entry' : `${entries.length} entries`}, oldest first.`}
          </Text>
          {ticket.data.truncated && (
            <Alert color="yellow" mb="md" title="Only the latest entries are shown">
              This ticket has more than {TICKET_ENTRY_LIMIT.toLocaleString()} entries; the Search tab with this ticket id lists them all.
            </Alert>
          )}
          {entries.length > 0 && (
            <Timeline bulletSize={14} lineWidth={2} active={entries.length - 1}>
              {entries.map((entry) => (
                <Timeline.Item key={entry.seq} title={describeEntry(entry)}>
                  <Text size="sm" c="dimmed">
                    {formatDateTime(entry.at)} · {entry.actor ?? 'system'} · <span className="serial">{entry.action}</span>
                  </Text>
                  <Group gap="xs" mt={6}>
                    <EntryLinks entry={entry} />
                    <Button size="xs" variant="subtle" onClick={() => onOpenEntry(entry)} aria-label={`Details of entry ${entry.seq}`}>
                      Details
                    </Button>
                  </Group>
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </Paper>
      )}
    </Stack>
  );
}
