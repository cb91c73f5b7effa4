import { Stack, Text } from '@mantine/core';
import { useId, type ReactNode } from 'react';

/** A labelled value; the group's accessible name is its label, so tests find it by name. */
export function Field({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  const id = useId();
  return (
    <Stack gap={2} role="group" aria-labelledby={id}>
      <Text id={id} size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text size="sm" fw={500} className={mono ? 'serial' : undefined}>
        {children}
      </Text>
    </Stack>
  );
}
