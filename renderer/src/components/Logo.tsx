import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconGift } from '@tabler/icons-react';

export function Logo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={size === 'lg' ? 40 : 30} radius="md" variant="gradient" gradient={{ from: 'indigo', to: 'violet', deg: 135 }}>
        <IconGift size={size === 'lg' ? 24 : 18} stroke={1.8} aria-hidden />
      </ThemeIcon>
      <Text fw={700} fz={size === 'lg' ? 26 : 18} lh={1}>
        Giftdesk
      </Text>
    </Group>
  );
}
