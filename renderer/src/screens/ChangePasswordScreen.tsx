import { Alert, Button, Stack, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import type { SessionInfo } from '../../../shared/types';
import { PublicScreenFrame } from '../components/PublicScreenFrame';
import { ChangePasswordForm } from '../components/users/ChangePasswordForm';
import { useSession, useSignOut } from '../session';

/**
 * After signing in with a temporary password (or when an admin reset it while the
 * window was open): nothing but choosing a new password or signing out. The main
 * process refuses every other call until then (PASSWORD_CHANGE_REQUIRED).
 */
export function ChangePasswordScreen({ session }: { session: SessionInfo }) {
  const { signedIn } = useSession();
  const signOut = useSignOut();
  return (
    <PublicScreenFrame width={440}>
      <Stack>
        <Title order={1} fz={22}>
          Choose a new password
        </Title>
        <Alert color="yellow" icon={<IconKey aria-hidden />} role="status">
          {session.user.displayName}, you signed in with a temporary password. Choose your own before you go on.
        </Alert>
        <ChangePasswordForm currentLabel="Temporary password" submitLabel="Save new password" onChanged={signedIn} />
        <Button variant="subtle" color="gray" onClick={() => signOut.mutate()} loading={signOut.isPending}>
          Sign out instead
        </Button>
      </Stack>
    </PublicScreenFrame>
  );
}
