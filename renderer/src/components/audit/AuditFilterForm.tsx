/**
 * The Audit screen's filters: actor, action (a prefix; known prefixes offered), subject
 * (a serial — spaces and dashes are fine — or an account id), ticket id and a time
 * range typed in local time. Validated by the shared filter's own zod fields
 * (shared/auditFilter.ts), which `audit:list` parses again; applied on submit only.
 */
import { Autocomplete, Button, Group, Paper, SimpleGrid, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconSearch, IconX } from '@tabler/icons-react';
import { z } from 'zod';
import { auditActions } from '../../../../shared/auditActions';
import { auditFilterFields, rangeInOrder, type AuditFilter } from '../../../../shared/auditFilter';
import { parseSerial } from '../../../../shared/serial';
import { contractForm } from '../../data/forms';

/** Every family (`card.`) and every action name, for the action field's suggestions. */
const actionSuggestions = [...new Set([...auditActions.map((a) => `${a.split('.')[0]!}.`), ...auditActions])].sort();

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** `2026-11-24T09:00` (a datetime-local input, local time) → ISO in UTC; anything unreadable goes on to fail the ISO rule. */
export function localToIso(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO → the datetime-local input's `YYYY-MM-DDTHH:mm` in local time. */
export function isoToLocal(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A serial typed with spaces or dashes is searched as its 19 digits; an account id as typed. */
function subjectOf(value: unknown): unknown {
  const bare = blank(value);
  if (typeof bare !== 'string') return bare;
  const serial = parseSerial(bare);
  return serial.ok ? serial.serial : bare.trim();
}

export const auditFilterFormSchema = z
  .object({
    actor: z.preprocess(blank, auditFilterFields.actor),
    action: z.preprocess(blank, auditFilterFields.action),
    subject: z.preprocess(subjectOf, auditFilterFields.subject),
    ticketId: z.preprocess(blank, auditFilterFields.ticketId),
    from: z.preprocess(localToIso, auditFilterFields.from),
    to: z.preprocess(localToIso, auditFilterFields.to),
  })
  .superRefine(rangeInOrder);

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
