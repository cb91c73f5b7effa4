import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

/** Why a recovery step cannot go on (a refused lookup or check), in words for the agent. */
export function CannotContinue({ problem }: { problem: string | null }) {
  if (!problem) return null;
  return (
    <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Cannot continue" role="alert">
      {problem}
    </Alert>
  );
}
