import { Alert, Button, Group, Loader, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { limitBoundsInWords, limitInWords, limitNames, limitRules, type LimitSection, type LimitsOverview } from '../../../shared/limits';
import type { Currency } from '../../../shared/money';
import { errorMessage } from '../api';
import { creditLimitLabel, LimitDialog, type LimitEdit } from '../components/limits/LimitDialogs';
import { ScreenHeader } from '../components/ScreenHeader';
import { limitQueries, useSetLimit } from '../data/limits';
import { money } from '../format';

function Section({ title, description, children, actions }: { title: string; description: ReactNode; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
  return (
    <Paper component="section" aria-labelledby={id} withBorder radius="lg" p="lg">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Title order={2} fz="lg" id={id}>
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </Stack>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

function ChangeButton({ name, onClick, children = 'Change' }: { name: string; onClick(): void; children?: string }) {
  return (
    <Button size="compact-sm" variant="light" aria-label={name} onClick={onClick}>
      {children}
    </Button>
  );
}

function GeneralTable({ section, overview, onEdit }: { section: LimitSection; overview: LimitsOverview; onEdit(edit: LimitEdit): void }) {
  const names = limitNames.filter((name) => limitRules[name].section === section);
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" aria-label={section === 'signIn' ? 'Sign-in and session limits' : 'Redemption and recovery limits'}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Limit</Table.Th>
            <Table.Th>Now</Table.Th>
            <Table.Th>Allowed</Table.Th>
            <Table.Th>
              <VisuallyHidden>Change</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {names.map((name) => {
            const rule = limitRules[name];
            return (
              <Table.Tr key={name} data-limit={name}>
                <Table.Th scope="row" fw={400}>
                  <Text size="sm" fw={600}>
                    {rule.label}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {rule.help}
                    {rule.atNextSignIn ? ' Takes effect at the next sign-in.' : ''}
                  </Text>
                </Table.Th>
                <Table.Td style={{ whiteSpace: 'nowrap' }} fw={600}>
                  {limitInWords(name, overview.general[name])}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm" c="dimmed">
                    {limitBoundsInWords(name)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <ChangeButton name={`Change ${rule.label.toLowerCase()}`} onClick={() => onEdit({ kind: 'general', name })} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function CreditTable({ overview, onEdit }: { overview: LimitsOverview; onEdit(edit: LimitEdit): void }) {
  const cells = (kind: 'creditMax' | 'dualApproval', currency: Currency, minor: number) => (
    <>
      <Table.Td ta="right" fw={600} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {money(minor, currency)}
      </Table.Td>
      <Table.Td>
        <ChangeButton name={`Change ${currency} ${creditLimitLabel(kind).toLowerCase()}`} onClick={() => onEdit({ kind, currency })} />
      </Table.Td>
    </>
  );
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" aria-label="Manual credit limits per currency">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Currency</Table.Th>
            <Table.Th ta="right">Most per request</Table.Th>
            <Table.Th>
              <VisuallyHidden>Change most per request</VisuallyHidden>
            </Table.Th>
            <Table.Th ta="right">Two approvals from</Table.Th>
            <Table.Th>
              <VisuallyHidden>Change two approvals from</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {overview.credits.map((row) => (
            <Table.Tr key={row.currency} data-currency={row.currency}>
              <Table.Th scope="row">{row.currency}</Table.Th>
              {cells('creditMax', row.currency, row.maxPerRequestMinor)}
              {cells('dualApproval', row.currency, row.dualApprovalMinor)}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ApprovalTable({ overview, onEdit }: { overview: LimitsOverview; onEdit(edit: LimitEdit): void }) {
  const setLimit = useSetLimit();
  if (overview.approvalLimits.length === 0) {
    return (
      <Text size="sm" c="dimmed" ta="center" py="md">
        No supervisor has an own limit: each approves up to the most per request in the currency.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" aria-label="Supervisors' approval limits">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Supervisor</Table.Th>
            <Table.Th>Currency</Table.Th>
            <Table.Th>Approves up to</Table.Th>
            <Table.Th>
              <VisuallyHidden>Change or clear</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {overview.approvalLimits.map((own) => (
            <Table.Tr key={`${own.username}|${own.currency}`} data-supervisor={own.username}>
              <Table.Th scope="row" fw={400}>
                <Text size="sm" fw={600}>
                  {own.displayName}
                </Text>
                <Text size="xs" c="dimmed">
                  {own.username}
                </Text>
              </Table.Th>
              <Table.Td>{own.currency}</Table.Td>
              <Table.Td fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {money(own.amountMinor, own.currency)}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <ChangeButton
                    name={`Change ${own.username}'s ${own.currency} approval limit`}
                    onClick={() => onEdit({ kind: 'approval', username: own.username, currency: own.currency })}
                  />
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    aria-label={`Clear ${own.username}'s ${own.currency} approval limit`}
                    disabled={setLimit.isPending}
                    onClick={() =>
                      setLimit.mutate(
                        { kind: 'approval', username: own.username, currency: own.currency, amount: null },
                        {
                          onSuccess: (change) => notifications.show({ color: 'green', title: 'Limit cleared', message: change.message }),
                          onError: (failure) => notifications.show({ color: 'red', title: 'Not cleared', message: errorMessage(failure) }),
                        },
                      )
                    }
                  >
                    Clear
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Admins: the limits that keep the desk safe, each change audited with its old and new value. */
export function LimitsScreen() {
  const limits = useQuery(limitQueries.all());
  const [edit, setEdit] = useState<LimitEdit | null>(null);
  const overview = limits.data;

  return (
    <Stack maw={1100}>
      <ScreenHeader title="Limits" description="Thresholds that keep the desk safe. Every change is checked against the same rules as the command line and audited with its old and new value." />
      {limits.error && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load the limits" role="alert">
          {errorMessage(limits.error)}
        </Alert>
      )}
      {limits.isPending && <Loader aria-label="Loading the limits" />}
      {overview && (
        <>
          <Section
            title="Sign-in and sessions"
            description="Changes to the idle lock and the longest session take effect at each user's next sign-in; open sessions keep the value they started with."
          >
            <GeneralTable section="signIn" overview={overview} onEdit={setEdit} />
          </Section>
          <Section title="Redemption and recovery" description="How many wrong claim codes and failed recovery checks the desk allows before it refuses.">
            <GeneralTable section="redemptionRecovery" overview={overview} onEdit={setEdit} />
          </Section>
          <Section
            title="Manual credits per currency"
            description={`The most one manual credit may be, and the amount from which two different supervisors must approve. Pending requests expire after ${overview.creditExpiryDays} days.`}
          >
            <CreditTable overview={overview} onEdit={setEdit} />
          </Section>
          <Section
            title="Supervisors' approval limits"
            description="A supervisor's own limit, below the most per request, caps the credits they may approve in that currency."
            actions={
              <Button
                variant="default"
                leftSection={<IconPlus size={16} aria-hidden />}
                onClick={() => setEdit({ kind: 'approval', username: null, currency: null })}
                disabled={overview.supervisors.length === 0}
              >
                Set an approval limit
              </Button>
            }
          >
            <ApprovalTable overview={overview} onEdit={setEdit} />
          </Section>
        </>
      )}
      <LimitDialog edit={edit} overview={overview} onClose={() => setEdit(null)} />
    </Stack>
  );
}
