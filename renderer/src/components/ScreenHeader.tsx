import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function ScreenHeader({ title, description, actions }: { title: string; description: string; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" mb="lg">
      <Stack gap={2}>
        <Title order={1} fz={24}>
          {title}
        </Title>
        <Text c="dimmed" size="sm">
          {description}
        </Text>
      </Stack>
      {actions}
    </Group>
  );
}
