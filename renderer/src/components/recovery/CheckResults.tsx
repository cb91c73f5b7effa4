import { Group, List, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconMinus, IconX } from '@tabler/icons-react';
import type { FieldCheck, FragmentCheck, RecoveryChecks } from '../../../../shared/types';

const fieldLabels: Record<Exclude<keyof RecoveryChecks, 'claimCodeFragment'>, string> = {
  orderNumber: 'Order number',
  purchaserName: 'Purchaser name',
  recipientName: 'Recipient name',
  deliveryAddress: 'Delivery address',
};

const words: Record<FieldCheck | FragmentCheck, { text: string; color: string; icon: typeof IconCheck }> = {
  match: { text: 'match', color: 'green', icon: IconCheck },
  close: { text: 'close match', color: 'yellow', icon: IconAlertTriangle },
  mismatch: { text: 'does not match', color: 'red', icon: IconX },
  consistent: { text: 'fits the code', color: 'green', icon: IconCheck },
  inconsistent: { text: 'does not fit the code', color: 'red', icon: IconX },
  // Compared with the code only when everything else matches, so a failed check says nothing about the code.
  notChecked: { text: 'not checked — the other details must match first', color: 'gray', icon: IconMinus },
};

function Row({ label, result }: { label: string; result: FieldCheck | FragmentCheck }) {
  const look = words[result];
  return (
    <List.Item
      icon={
        <ThemeIcon color={look.color} size={24} radius="xl" variant="light">
          <look.icon size={16} aria-hidden />
        </ThemeIcon>
      }
    >
      <Group gap={6}>
        <Text fw={600}>{label}:</Text>
        <Text>{look.text}</Text>
      </Group>
    </List.Item>
  );
}

/** Per-field results in plain words, never the record's values. */
export function CheckResults({ checks }: { checks: RecoveryChecks }) {
  return (
    <List spacing="xs" center aria-label="Check results">
      {(Object.keys(fieldLabels) as (keyof typeof fieldLabels)[]).map((field) => (
        <Row key={field} label={fieldLabels[field]} result={checks[field]} />
      ))}
      {checks.claimCodeFragment && <Row label="Legible part of the code" result={checks.claimCodeFragment} />}
    </List>
  );
}
