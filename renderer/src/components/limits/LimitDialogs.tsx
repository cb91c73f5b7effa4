/**
 * The Limits screen's edits, one small dialog each: a general limit, a credit limit of
 * one currency, a supervisor's own approval limit. Each form checks the shared rules
 * (shared/limits.ts, shared/credits.ts) as the admin types; the main process checks them
 * again, and anything it refuses is said under the field.
 */
import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { approvalLimitProblem, dualApprovalProblem, limitAmountProblem } from '../../../../shared/credits';
import type { InputOf } from '../../../../shared/contract';
import {
  limitBoundsInWords,
  limitInWords,
  limitRules,
  parseLimitValue,
  type CreditLimitRow,
  type LimitChange,
  type LimitName,
  type LimitsOverview,
} from '../../../../shared/limits';
import { currencyCodes, minorToDecimalString, parseAmount, type Currency } from '../../../../shared/money';
import { errorMessage } from '../../api';
import { useSetLimit } from '../../data/limits';
import { applyServerErrors } from '../../data/forms';
import { money } from '../../format';

export type LimitEdit =
  | { kind: 'general'; name: LimitName }
  | { kind: 'creditMax' | 'dualApproval'; currency: Currency }
  | { kind: 'approval'; username: string | null; currency: Currency | null };

const AT_NEXT_SIGN_IN = 'Takes effect at the next sign-in; open sessions keep the value they started with.';

export function creditLimitLabel(kind: 'creditMax' | 'dualApproval'): string {
  return kind === 'creditMax' ? 'Most per request' : 'Two approvals from';
}

/** Says what happened, then closes; a refusal lands under `field` (or the field the service names). */
function useSubmit<V extends Record<string, unknown>>(form: UseFormReturnType<V>, field: keyof V & string, onDone: () => void) {
  const setLimit = useSetLimit();
  const submit = (input: InputOf<'limits:set'>) =>
    setLimit.mutate(input, {
      onSuccess: (change: LimitChange) => {
        notifications.show({ color: change.changed ? 'green' : 'gray', title: change.changed ? 'Limit changed' : 'Nothing changed', message: change.message });
        onDone();
      },
      onError: (failure) => {
        if (applyServerErrors(form, failure)) return;
        // FORBIDDEN, a lost session…: said in words under the field all the same.
        form.setFieldError(field, errorMessage(failure));
      },
    });
  return { submit, busy: setLimit.isPending };
}

function Buttons({ busy, onClose, label = 'Save' }: { busy: boolean; onClose(): void; label?: string }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        Cancel
      </Button>
      <Button type="submit" loading={busy}>
        {label}
      </Button>
    </Group>
  );
}

function GeneralForm({ name, overview, onClose }: { name: LimitName; overview: LimitsOverview; onClose(): void }) {
  const rule = limitRules[name];
  const current = overview.general[name];
  const form = useForm({
    mode: 'controlled',
    initialValues: { value: String(current) },
    validate: {
      value: (text: string) => {
        const parsed = parseLimitValue(name, text);
        return parsed.ok ? null : parsed.message;
      },
    },
    validateInputOnBlur: true,
  });
  const { submit, busy } = useSubmit(form, 'value', onClose);
  return (
    <form
      aria-label={`Change ${rule.label.toLowerCase()}`}
      onSubmit={form.onSubmit(({ value }) => {
        const parsed = parseLimitValue(name, value);
        if (parsed.ok) submit({ kind: 'general', name, value: parsed.value });
      })}
    >
      <Stack>
        <Text size="sm">
          {rule.help} Now {limitInWords(name, current)}.
        </Text>
        <TextInput
          label={`${rule.label} (${rule.unit})`}
          description={`A whole number, ${limitBoundsInWords(name)}.`}
          inputMode="numeric"
          data-autofocus
          errorProps={{ role: 'alert' }}
          {...form.getInputProps('value')}
        />
        {rule.atNextSignIn && (
          <Text size="sm" c="dimmed">
            {AT_NEXT_SIGN_IN}
          </Text>
        )}
        <Buttons busy={busy} onClose={onClose} />
      </Stack>
    </form>
  );
}

/** The amount typed, checked by the shared rules against what the screen shows now. */
function amountProblem(text: string, currency: Currency, check: (minor: number) => string | null): string | null {
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) return parsed.message;
  return limitAmountProblem(parsed.minor, currency) ?? check(parsed.minor);
}

function CreditForm({ kind, row, overview, onClose }: { kind: 'creditMax' | 'dualApproval'; row: CreditLimitRow; overview: LimitsOverview; onClose(): void }) {
  const { currency } = row;
  const current = kind === 'creditMax' ? row.maxPerRequestMinor : row.dualApprovalMinor;
  const check = (minor: number) =>
    kind === 'creditMax'
      ? (dualApprovalProblem({ maxPerRequestMinor: minor, dualApprovalMinor: row.dualApprovalMinor }, currency, 'maxPerRequest') ??
        approvalLimitProblem(
          {
            kind: 'maxPerRequest',
            maxPerRequestMinor: minor,
            over: overview.approvalLimits.filter((own) => own.currency === currency && own.amountMinor > minor),
          },
          currency,
        ))
      : dualApprovalProblem({ maxPerRequestMinor: row.maxPerRequestMinor, dualApprovalMinor: minor }, currency, 'dualApproval');
  const form = useForm({
    mode: 'controlled',
    initialValues: { amount: minorToDecimalString(current, currency) },
    validate: { amount: (text: string) => amountProblem(text, currency, check) },
    validateInputOnBlur: true,
  });
  const { submit, busy } = useSubmit(form, 'amount', onClose);
  const label = creditLimitLabel(kind);
  return (
    <form aria-label={`Change ${currency} ${label.toLowerCase()}`} onSubmit={form.onSubmit(({ amount }) => submit({ kind, currency, amount }))}>
      <Stack>
        <Text size="sm">
          {kind === 'creditMax'
            ? `The most one manual credit in ${currency} may be. Now ${money(current, currency)}.`
            : `From this amount, two different supervisors must approve a ${currency} credit. Now ${money(current, currency)}.`}
        </Text>
        <TextInput
          label={`${label} (${currency})`}
          description={
            kind === 'creditMax'
              ? `At least the two-approval threshold, ${money(row.dualApprovalMinor, currency)}.`
              : `At most the most per request, ${money(row.maxPerRequestMinor, currency)}.`
          }
          inputMode="decimal"
          data-autofocus
          errorProps={{ role: 'alert' }}
          {...form.getInputProps('amount')}
        />
        <Buttons busy={busy} onClose={onClose} />
      </Stack>
    </form>
  );
}

function ApprovalForm({ edit, overview, onClose }: { edit: Extract<LimitEdit, { kind: 'approval' }>; overview: LimitsOverview; onClose(): void }) {
  const own = overview.approvalLimits.find((l) => l.username === edit.username && l.currency === edit.currency);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      username: edit.username ?? '',
      currency: (edit.currency ?? '') as Currency | '',
      amount: own ? minorToDecimalString(own.amountMinor, own.currency) : '',
    },
    validate: {
      username: (value: string) => (value ? null : 'Choose a supervisor.'),
      currency: (value: string) => (value ? null : 'Choose a currency.'),
      amount: (text: string, values) => {
        if (!values.currency) return null;
        const currency = values.currency;
        const max = overview.credits.find((row) => row.currency === currency)?.maxPerRequestMinor ?? 0;
        return amountProblem(text, currency, (minor) =>
          approvalLimitProblem({ kind: 'approval', username: values.username || 'The supervisor', amountMinor: minor, maxPerRequestMinor: max }, currency),
        );
      },
    },
    validateInputOnBlur: true,
  });
  const { submit, busy } = useSubmit(form, 'amount', onClose);
  const currency = form.values.currency;
  const max = currency ? overview.credits.find((row) => row.currency === currency)?.maxPerRequestMinor : undefined;
  const fixed = edit.username !== null;
  return (
    <form
      aria-label="Set an approval limit"
      onSubmit={form.onSubmit((values) => {
        if (values.currency) submit({ kind: 'approval', username: values.username, currency: values.currency, amount: values.amount });
      })}
    >
      <Stack>
        <Select
          label="Supervisor"
          placeholder="Choose a supervisor"
          data={overview.supervisors.map((s) => ({ value: s.username, label: `${s.displayName} (${s.username})` }))}
          allowDeselect={false}
          disabled={fixed}
          data-autofocus={fixed ? undefined : true}
          {...form.getInputProps('username')}
          value={form.values.username || null}
          onChange={(value) => form.setFieldValue('username', value ?? '')}
        />
        <Select
          label="Currency"
          placeholder="Choose a currency"
          data={currencyCodes}
          allowDeselect={false}
          disabled={fixed}
          {...form.getInputProps('currency')}
          value={form.values.currency || null}
          onChange={(value) => form.setFieldValue('currency', (value ?? '') as Currency | '')}
        />
        <TextInput
          label={currency ? `Approves up to (${currency})` : 'Approves up to'}
          description={max !== undefined && currency ? `At most the most per request, ${money(max, currency)}.` : 'Choose the currency first.'}
          inputMode="decimal"
          data-autofocus={fixed ? true : undefined}
          errorProps={{ role: 'alert' }}
          {...form.getInputProps('amount')}
        />
        <Buttons busy={busy} onClose={onClose} />
      </Stack>
    </form>
  );
}

function titleOf(edit: LimitEdit): string {
  if (edit.kind === 'general') return `Change: ${limitRules[edit.name].label}`;
  if (edit.kind === 'approval') return edit.username ? `Approval limit of ${edit.username} (${edit.currency})` : 'Set an approval limit';
  return `${creditLimitLabel(edit.kind)} (${edit.currency})`;
}

function editKey(edit: LimitEdit): string {
  return edit.kind === 'general' ? edit.name : edit.kind === 'approval' ? `approval|${edit.username}|${edit.currency}` : `${edit.kind}|${edit.currency}`;
}

export function LimitDialog({ edit, overview, onClose }: { edit: LimitEdit | null; overview: LimitsOverview | undefined; onClose(): void }) {
  const row = edit && edit.kind !== 'general' && edit.kind !== 'approval' ? overview?.credits.find((r) => r.currency === edit.currency) : undefined;
  return (
    <Modal opened={edit !== null} onClose={onClose} title={edit ? titleOf(edit) : ''} centered>
      {/* Mounted per edit: each opening starts from the value in force. */}
      {edit && overview && edit.kind === 'general' && <GeneralForm key={editKey(edit)} name={edit.name} overview={overview} onClose={onClose} />}
      {edit && overview && row && (edit.kind === 'creditMax' || edit.kind === 'dualApproval') && (
        <CreditForm key={editKey(edit)} kind={edit.kind} row={row} overview={overview} onClose={onClose} />
      )}
      {edit && overview && edit.kind === 'approval' && <ApprovalForm key={editKey(edit)} edit={edit} overview={overview} onClose={onClose} />}
      {edit && !overview && (
        <Alert color="red" role="alert">
          The limits are not loaded; close this and try again.
        </Alert>
      )}
    </Modal>
  );
}
