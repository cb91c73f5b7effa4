import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconLock, IconLockOpen } from '@tabler/icons-react';
import { formatDateTime } from '../../format';

/** Recovery is locked for the card; only a supervisor sees the way out. */
export function LockedBanner({ lockedAt, canUnlock, onUnlock }: { lockedAt: string; canUnlock: boolean; onUnlock(): void }) {
  return (
    <Alert color="orange" icon={<IconLock aria-hidden />} title="Recovery is locked for this card" role="alert">
      <Stack gap="xs">
        <Text size="sm">
          Locked on {formatDateTime(lockedAt)} after repeated failed checks of the caller's details. No further checks can be
          made until a supervisor unlocks it.
        </Text>
        {canUnlock && (
          <Button size="xs" color="orange" variant="white" w="fit-content" leftSection={<IconLockOpen size={16} aria-hidden />} onClick={onUnlock}>
            Unlock…
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
