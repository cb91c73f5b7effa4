/**
 * One audit entry in a drawer: its fields, its details as a labelled list, the hash
 * (small), and links to the card or account it concerns and to its ticket's timeline.
 */
import { Button, Code, Drawer, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconCreditCard, IconTimeline, IconUser } from '@tabler/icons-react';
import type { AuditEntryView } from '../../../../shared/types';
import { formatDateTime } from '../../format';
import { useNavigation } from '../../shell/navigation';
import { Field } from '../Field';
import { AuditDetails } from './AuditDetails';
import { describeEntry, entryLinks, keyToWords, linkLabel, type EntryLink } from './auditWords';

/** Buttons to the entry's card (Lookup) and account (Accounts), for the screens the role may open (the caller lays them out). */
export function EntryLinks({ entry, size = 'xs' }: { entry: AuditEntryView; size?: 'xs' | 'sm' }) {
  const { navigate, canOpen } = useNavigation();
  const open = (link: EntryLink) =>
    link.kind === 'card' ? navigate('lookup', { serial: link.serial }) : navigate('accounts', { accountId: link.accountId });
  const links = entryLinks(entry).filter((link) => canOpen(link.kind === 'card' ? 'lookup' : 'accounts'));
  return (
    <>
      {links.map((link) => (
        <Button
          key={`${link.kind}:${link.kind === 'card' ? link.serial : link.accountId}`}
          size={size}
          variant="light"
          leftSection={link.kind === 'card' ? <IconCreditCard size={16} aria-hidden /> : <IconUser size={16} aria-hidden />}
          onClick={() => open(link)}
        >
          {linkLabel(link)}
        </Button>
      ))}
    </>
  );
}

interface AuditEntryDrawerProps {
  entry: AuditEntryView | null;
  onClose(): void;
  /** Shown when the entry has a ticket: opens that ticket's timeline. */
  onOpenTicket?: ((ticketId: string) => void) | undefined;
}

export function AuditEntryDrawer({ entry, onClose, onOpenTicket }: AuditEntryDrawerProps) {
  return (
    <Drawer
      opened={entry !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={entry ? <Title order={2} fz="lg">Audit entry #{entry.seq}</Title> : null}
      closeButtonProps={{ 'aria-label': 'Close the entry' }}
    >
      {entry && (
        <Stack gap="md">
          <Text fw={500}>{describeEntry(entry)}.</Text>
          <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
            <Field label="Time">{formatDateTime(entry.at)}</Field>
            <Field label="User">{entry.actor ?? 'system'}</Field>
            <Field label="Action">
              <Code>{entry.action}</Code>
            </Field>
            <Field label="Ticket">{entry.ticketId ?? 'none'}</Field>
            <Field label="Subject type">{entry.subjectType ? keyToWords(entry.subjectType) : 'none'}</Field>
            <Field label="Subject" mono={entry.subjectType === 'card'}>
              {entry.subjectId ?? 'none'}
            </Field>
          </SimpleGrid>
          <Group gap="xs">
            <EntryLinks entry={entry} size="sm" />
            {entry.ticketId && onOpenTicket && (
              <Button size="sm" variant="default" leftSection={<IconTimeline size={16} aria-hidden />} onClick={() => onOpenTicket(entry.ticketId!)}>
                Ticket {entry.ticketId} timeline
              </Button>
            )}
          </Group>
          <Stack gap={4}>
            <Title order={3} fz="sm">
              Details
            </Title>
            <AuditDetails details={entry.details} />
          </Stack>
          <Stack gap={2} role="group" aria-labelledby="audit-entry-hash">
            <Text size="xs" fw={600} id="audit-entry-hash">
              Hash
            </Text>
            <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {entry.hash}
            </Text>
          </Stack>
        </Stack>
      )}
    </Drawer>
  );
}
