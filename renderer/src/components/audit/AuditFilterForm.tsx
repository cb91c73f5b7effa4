/**
 * The Audit screen's filters: actor, action (a prefix; known prefixes offered), subject
 * (a serial — spaces and dashes are fine — or an account id), ticket id and a time
 * range typed in local time. Validated by the shared filter's own zod fields
 * (shared/auditFilter.ts), which `audit:list` parses again; applied on submit only.
 */
import { Autocomplete, Button, Group, Paper, SimpleGrid, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconSearch, IconX } from '@tabler/icons-react';
import { auditActions } from '../../../../shared/auditActions';
import type { AuditFilter } from '../../../../shared/auditFilter';
import { contractForm } from '../../data/forms';
import { auditFilterFormSchema, isoToLocal } from './filterValues';

/** Every family (`card.`) and every action name, for the action field's suggestions. */
const actionSuggestions = [...new Set([...auditActions.map((a) => `${a.split('.')[0]!}.`), ...auditActions])].sort();

interface FilterValues extends Record<string, unknown> {
  actor: string;
  action: string;
  subject: string;
  ticketId: string;
  from: string;
  to: string;
}

function valuesOf(filter: AuditFilter): FilterValues {
  return {
    actor: filter.actor ?? '',
    action: filter.action ?? '',
    subject: filter.subject ?? '',
    ticketId: filter.ticketId ?? '',
    from: isoToLocal(filter.from),
    to: isoToLocal(filter.to),
  };
}

export function AuditFilterForm({ applied, busy, onApply }: { applied: AuditFilter; busy: boolean; onApply(filter: AuditFilter): void }) {
  const form = useForm(contractForm(auditFilterFormSchema, valuesOf(applied)));
  const submit = form.onSubmit((values) => onApply(auditFilterFormSchema.parse(values)));

  function clear() {
    form.setValues(valuesOf({}));
    form.clearErrors();
    onApply({});
  }

  return (
    <Paper withBorder radius="lg" p="md" component="form" onSubmit={submit} aria-label="Filter the audit log" noValidate>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" verticalSpacing="xs">
        <TextInput label="User" placeholder="e.g. ava" autoComplete="off" {...form.getInputProps('actor')} />
        <Autocomplete
          label="Action (starts with)"
          placeholder="e.g. card. or credit.approved"
          data={actionSuggestions}
          limit={12}
          {...form.getInputProps('action')}
        />
        <TextInput label="Card serial or account id" placeholder="1700 1234 5678 9012 345 or ACC-US-1001" autoComplete="off" {...form.getInputProps('subject')} />
        <TextInput label="Ticket id" placeholder="e.g. T-48213" autoComplete="off" {...form.getInputProps('ticketId')} />
        <TextInput type="datetime-local" label="From (your local time)" {...form.getInputProps('from')} />
        <TextInput type="datetime-local" label="Until (your local time)" {...form.getInputProps('to')} />
      </SimpleGrid>
      <Group mt="sm" gap="sm">
        <Button type="submit" leftSection={<IconSearch size={16} aria-hidden />} loading={busy}>
          Search
        </Button>
        <Button variant="default" leftSection={<IconX size={16} aria-hidden />} onClick={clear}>
          Clear
        </Button>
      </Group>
    </Paper>
  );
}
