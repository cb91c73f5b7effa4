import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Menu,
  Modal,
  Paper,
  PasswordInput,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { IconAlertCircle, IconCheck, IconCopy, IconDots, IconEye, IconKey, IconLockOpen, IconPencil, IconUserCheck, IconUserOff, IconUserPlus, IconUserShield } from '@tabler/icons-react';
import { useState } from 'react';
import { mayReveal, revealPermissionLabels, revealPermissions, roleRevealsByDefault, type RevealPermission } from '../../../shared/personalData';
import { roleLabels, roles, type Role } from '../../../shared/roles';
import type { PasswordReset, UserView } from '../../../shared/types';
import { PASSWORD_RULE, USERNAME_RULE } from '../../../shared/users';
import { errorMessage } from '../api';
import { ScreenHeader } from '../components/ScreenHeader';
import { applyServerErrors, contractForm, formProblem, inputSchema } from '../data/forms';
import { useCreateUser, useResetPassword, userQueries, useUnlockUser, useUpdateUser } from '../data/users';
import { formatDateTime } from '../format';
import { useSession } from '../session';

const roleOptions = roles.map((role) => ({ value: role, label: roleLabels[role] }));

const createSchema = inputSchema('users:create', ['username', 'displayName', 'role', 'password']);
const renameSchema = inputSchema('users:update', ['displayName']);

function ProblemAlert({ message, title }: { message: string | null; title: string }) {
  return message ? (
    <Alert color="red" icon={<IconAlertCircle aria-hidden />} title={title} role="alert">
      {message}
    </Alert>
  ) : null;
}

function CreateUserDialog({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const create = useCreateUser();
  const form = useForm(contractForm(createSchema, { username: '', displayName: '', role: 'agent' as Role, password: '' }));
  const close = () => {
    form.reset();
    create.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Create user" centered>
      <form
        aria-label="Create user"
        onSubmit={form.onSubmit((values) => {
          if (create.isPending) return;
          create.mutate(values, {
            onSuccess: (user) => {
              notifications.show({ color: 'green', title: 'User created', message: `${user.username} must choose a new password at the first sign-in.` });
              close();
            },
            onError: (failure) => applyServerErrors(form, failure),
          });
        })}
      >
        <Stack>
          <ProblemAlert title="Not created" message={formProblem(form, create.error)} />
          <TextInput label="Username" description={USERNAME_RULE} required data-autofocus {...form.getInputProps('username')} />
          <TextInput label="Display name" required {...form.getInputProps('displayName')} />
          <Select label="Role" data={roleOptions} allowDeselect={false} required {...form.getInputProps('role')} />
          <PasswordInput
            label="First password"
            description={`${PASSWORD_RULE} The user must replace it at the first sign-in.`}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RoleDialog({ user, onClose }: { user: UserView; onClose(): void }) {
  const update = useUpdateUser();
  const [role, setRole] = useState<Role>(user.role);
  return (
    <Modal opened onClose={onClose} title={`Change the role of ${user.username}`} centered>
      <form
        aria-label="Change role"
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate(
            { username: user.username, role },
            {
              onSuccess: (updated) => {
                notifications.show({ color: 'green', title: 'Role changed', message: `${updated.username} is now ${roleLabels[updated.role].toLowerCase()}.` });
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <ProblemAlert title="Role not changed" message={update.error ? errorMessage(update.error) : null} />
          <Select label="Role" data={roleOptions} allowDeselect={false} value={role} onChange={(value) => value && setRole(value as Role)} data-autofocus />
          <Text size="sm" c="dimmed">
            The new role holds from the user&apos;s next action, in every window they have open. A grant or withdrawal of the reveal permission
            does not carry over: the user gets the new role&apos;s default.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending} disabled={role === user.role}>
              Save role
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RenameDialog({ user, onClose }: { user: UserView; onClose(): void }) {
  const update = useUpdateUser();
  const form = useForm(contractForm(renameSchema, { displayName: user.displayName }));
  return (
    <Modal opened onClose={onClose} title={`Rename ${user.username}`} centered>
      <form
        aria-label="Rename"
        onSubmit={form.onSubmit((values) =>
          update.mutate(
            { username: user.username, displayName: values.displayName },
            { onSuccess: onClose, onError: (failure) => applyServerErrors(form, failure) },
          ),
        )}
      >
        <Stack>
          <ProblemAlert title="Not renamed" message={formProblem(form, update.error)} />
          <TextInput label="Display name" required data-autofocus {...form.getInputProps('displayName')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save name
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Who may reveal personal data: the role's default, or granted / withdrawn for this user (never an admin). */
function RevealPermissionDialog({ user, onClose }: { user: UserView; onClose(): void }) {
  const update = useUpdateUser();
  const [choice, setChoice] = useState<RevealPermission>(user.revealPermission);
  const roleDefault = roleRevealsByDefault(user.role) ? 'may reveal' : 'may not reveal';
  const describe: Record<RevealPermission, string> = {
    roleDefault: `As every ${roleLabels[user.role].toLowerCase()}: ${roleDefault}.`,
    granted: 'May reveal one field at a time, with a reason and a ticket, within the daily limit.',
    withdrawn: 'May not reveal, whatever the role.',
  };
  return (
    <Modal opened onClose={onClose} title={`Reveal permission of ${user.username}`} centered>
      <form
        aria-label="Reveal permission"
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate(
            { username: user.username, revealPermission: choice },
            {
              onSuccess: (updated) => {
                say('Reveal permission saved', `${updated.username} ${updated.canReveal ? 'may' : 'may not'} reveal personal data from their next action.`);
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <ProblemAlert title="Not changed" message={update.error ? errorMessage(update.error) : null} />
          <Radio.Group label="May this user see personal data in full?" value={choice} onChange={(value) => setChoice(value as RevealPermission)}>
            <Stack gap="xs" mt="xs">
              {revealPermissions.map((permission) => (
                <Radio key={permission} value={permission} label={revealPermissionLabels[permission]} description={describe[permission]} />
              ))}
            </Stack>
          </Radio.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending} disabled={choice === user.revealPermission} data-autofocus>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function revealText(user: UserView): string {
  if (user.role === 'admin') return 'No (admin)';
  const may = mayReveal(user.role, user.revealPermission) ? 'Yes' : 'No';
  return user.revealPermission === 'roleDefault' ? may : `${may} (${revealPermissionLabels[user.revealPermission].toLowerCase()})`;
}

function ResetDialog({ user, onClose }: { user: UserView; onClose(): void }) {
  const reset = useResetPassword();
  // The answer is kept only here, while the dialog is open: never in the query cache.
  const [done, setDone] = useState<PasswordReset | null>(null);
  return (
    <Modal opened onClose={onClose} title={`Reset the password of ${user.username}`} centered closeOnClickOutside={!done}>
      {done ? (
        <Stack>
          <Alert color="yellow" icon={<IconKey aria-hidden />} title="Temporary password" role="status">
            Give this password to {done.username}. It will not be shown again: they must choose a new one when they sign in.
          </Alert>
          <Group gap="xs" wrap="nowrap">
            <Code fz="lg" aria-label="Temporary password" data-testid="temporary-password" style={{ userSelect: 'all' }}>
              {done.temporaryPassword}
            </Code>
            <CopyButton value={done.temporaryPassword}>
              {({ copied, copy }) => (
                <Button variant="light" size="xs" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <ProblemAlert title="Not reset" message={reset.error ? errorMessage(reset.error) : null} />
          <Text size="sm">
            {user.displayName} gets a one-time temporary password, shown here once. Until they replace it, their open windows can do nothing
            else, and their old password no longer works. A sign-in lock is cleared too.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="orange" loading={reset.isPending} onClick={() => reset.mutate({ username: user.username }, { onSuccess: setDone })} data-autofocus>
              Reset password
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

const say = (title: string, message: string) => notifications.show({ color: 'green', title, message });
const fail = (title: string) => (failure: unknown) => notifications.show({ color: 'red', title, message: errorMessage(failure) });

type Dialog = { kind: 'role' | 'rename' | 'reset' | 'reveal'; user: UserView } | null;

function RowActions({ user, self, onOpen }: { user: UserView; self: boolean; onOpen(dialog: Dialog): void }) {
  const update = useUpdateUser();
  const unlock = useUnlockUser();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${user.username}`}>
          <IconDots size={18} aria-hidden />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconUserShield size={16} aria-hidden />} onClick={() => onOpen({ kind: 'role', user })}>
          Change role
        </Menu.Item>
        <Menu.Item leftSection={<IconPencil size={16} aria-hidden />} onClick={() => onOpen({ kind: 'rename', user })}>
          Rename
        </Menu.Item>
        {user.role !== 'admin' && (
          <Menu.Item leftSection={<IconEye size={16} aria-hidden />} onClick={() => onOpen({ kind: 'reveal', user })}>
            Reveal permission
          </Menu.Item>
        )}
        {user.locked && (
          <Menu.Item
            leftSection={<IconLockOpen size={16} aria-hidden />}
            onClick={() => unlock.mutate({ username: user.username }, { onSuccess: () => say('Unlocked', `${user.username} can sign in again.`), onError: fail('Not unlocked') })}
          >
            Unlock sign-in
          </Menu.Item>
        )}
        {!self && (
          <Menu.Item leftSection={<IconKey size={16} aria-hidden />} onClick={() => onOpen({ kind: 'reset', user })}>
            Reset password
          </Menu.Item>
        )}
        {user.active ? (
          !self && (
            <Menu.Item
              color="red"
              leftSection={<IconUserOff size={16} aria-hidden />}
              onClick={() =>
                update.mutate(
                  { username: user.username, active: false },
                  { onSuccess: () => say('Deactivated', `${user.username} can no longer sign in; their open windows are signed out.`), onError: fail('Not deactivated') },
                )
              }
            >
              Deactivate
            </Menu.Item>
          )
        ) : (
          <Menu.Item
            leftSection={<IconUserCheck size={16} aria-hidden />}
            onClick={() =>
              update.mutate({ username: user.username, active: true }, { onSuccess: () => say('Reactivated', `${user.username} can sign in again.`), onError: fail('Not reactivated') })
            }
          >
            Reactivate
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

/** Admins: the team's users, and everything an admin does to them. */
export function UsersScreen() {
  const { session } = useSession();
  const users = useQuery(userQueries.list());
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  return (
    <>
      <ScreenHeader
        title="Users"
        description="Who can sign in, with which role"
        actions={
          <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            Create user
          </Button>
        }
      />
      {users.isError && <ProblemAlert title="Users not loaded" message={errorMessage(users.error)} />}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Users" verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Username</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Active</Table.Th>
                <Table.Th>Locked</Table.Th>
                <Table.Th>Reveals data</Table.Th>
                <Table.Th>Last sign-in</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.isPending && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed">Loading users…</Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {users.data?.map((user) => (
                <Table.Tr key={user.username} data-username={user.username}>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm" fw={500}>
                        {user.username}
                      </Text>
                      {user.mustChangePassword && (
                        <Badge size="xs" variant="light" color="yellow">
                          must change password
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{user.displayName}</Table.Td>
                  <Table.Td>{roleLabels[user.role]}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={user.active ? 'green' : 'gray'}>
                      {user.active ? 'Active' : 'Deactivated'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {user.locked ? (
                      <Badge variant="light" color="orange" title={user.lockedUntil ? `Until ${formatDateTime(user.lockedUntil)}` : undefined}>
                        Locked
                      </Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        No
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={user.canReveal ? undefined : 'dimmed'}>
                      {revealText(user)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : <Text span size="sm" c="dimmed">Never</Text>}</Table.Td>
                  <Table.Td>
                    <RowActions user={user} self={user.username === session?.user.username} onOpen={setDialog} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <CreateUserDialog opened={creating} onClose={() => setCreating(false)} />
      {dialog?.kind === 'role' && <RoleDialog user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'rename' && <RenameDialog user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'reset' && <ResetDialog user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'reveal' && <RevealPermissionDialog user={dialog.user} onClose={() => setDialog(null)} />}
    </>
  );
}
