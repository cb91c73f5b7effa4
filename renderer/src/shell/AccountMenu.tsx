import { Avatar, Group, Menu, Modal, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconKey, IconLogout } from '@tabler/icons-react';
import { ChangePasswordForm } from '../components/users/ChangePasswordForm';
import { roleLabels } from '../../../shared/roles';
import type { SessionInfo } from '../../../shared/types';
import { useSignOut } from '../session';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');
}

/** Who is signed in, changing one's password, and signing out. */
export function AccountMenu({ session }: { session: SessionInfo }) {
  const signOut = useSignOut();
  const [changing, changeDialog] = useDisclosure(false);
  return (
    <>
      <Modal opened={changing} onClose={changeDialog.close} title="Change password" centered>
        <ChangePasswordForm
          onCancel={changeDialog.close}
          onChanged={() => {
            changeDialog.close();
            notifications.show({ color: 'green', title: 'Password changed', message: 'Use your new password from your next sign-in.' });
          }}
        />
      </Modal>
      <Menu position="bottom-end" width={220} withinPortal>
        <Menu.Target>
          <UnstyledButton aria-label={`Account menu for ${session.user.displayName}`}>
            <Group gap={8} wrap="nowrap">
              <Avatar color="indigo" radius="xl" size={34}>
                {initials(session.user.displayName)}
              </Avatar>
              <div>
                <Text size="sm" fw={600} lh={1.2}>
                  {session.user.displayName}
                </Text>
                <Text size="xs" c="dimmed" lh={1.2}>
                  {roleLabels[session.user.role]} · {session.user.username}
                </Text>
              </div>
              <IconChevronDown size={14} aria-hidden />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Signed in as {session.user.username}</Menu.Label>
          <Menu.Item leftSection={<IconKey size={16} aria-hidden />} onClick={changeDialog.open}>
            Change password
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} disabled={signOut.isPending} onClick={() => signOut.mutate()}>
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  );
}
