import { Alert, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconReceiptRefund } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { creditReasonLabels, creditReasons, type CreditReason } from '../../../../shared/credits';
import { isCurrency, parseAmount } from '../../../../shared/money';
import { formatSerial, parseSerial } from '../../../../shared/serial';
import type { AccountDetails, AccountSummary, CreditLimitsView, CreditRequestView } from '../../../../shared/types';
import { call, CallError } from '../../api';
import { creditsChanged } from '../../creditsEvents';
import { money } from '../../format';
import { useRequestKey } from '../../requestKey';
import { AccountPicker } from '../AccountPicker';
import { SerialInput } from '../SerialInput';

export interface CreditPrefill {
  serial?: string | undefined;
  ticketId?: string | undefined;
  reason?: CreditReason | undefined;
}

interface RequestCreditDialogProps {
  opened: boolean;
  /** The account, when the dialog is opened from it; otherwise the agent picks one. */
  account?: AccountSummary | undefined;
  prefill?: CreditPrefill | undefined;
  onClose(): void;
  onRequested(request: CreditRequestView): void;
}

const THIRTY_DAYS = 30 * 86_400_000;

function requestErrorSentence(error: unknown): string {
  if (!(error instanceof CallError)) return 'Something went wrong. Try again.';
  const d = error.details ?? {};
  switch (error.code) {
    case 'AMOUNT_OVER_LIMIT': {
      const currency = String(d['currency']);
      const most = isCurrency(currency) ? ` (${money(Number(d['maxMinor']), currency)})` : '';
      return `That is more than one manual credit may be${most}. Ask a supervisor how to proceed.`;
    }
    case 'AMOUNT_INVALID':
      return 'The amount must be more than zero.';
    case 'CURRENCY_MISMATCH':
      return `This account is in ${String(d['accountCurrency'])}; the credit must be in ${String(d['accountCurrency'])} too.`;
    default:
      return error.message;
  }
}

/** A manual credit request: amount typed as a decimal in the account's currency, parsed exactly. */
export function RequestCreditDialog({ opened, account: fixed, prefill, onClose, onRequested }: RequestCreditDialogProps) {
  const [chosen, setChosen] = useState<AccountSummary | null>(fixed ?? null);
  const [details, setDetails] = useState<{ account: AccountDetails; loadedAt: number } | null>(null);
  const [limits, setLimits] = useState<CreditLimitsView | null>(null);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState<CreditReason | null>(prefill?.reason ?? null);
  const [ticket, setTicket] = useState(prefill?.ticketId ?? '');
  const [note, setNote] = useState('');
  const [serial, setSerial] = useState(prefill?.serial ? formatSerial(prefill.serial) : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const requestKey = useRequestKey();
  const account = fixed ?? chosen;

  useEffect(() => {
    if (!opened) return undefined;
    let live = true;
    void call((api) => api.credits.limits()).then(
      (l) => live && setLimits(l),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [opened]);

  useEffect(() => {
    if (!opened || !account) return undefined;
    let live = true;
    void call((api) => api.accounts.get({ accountId: account.id, limit: 100 })).then(
      (a) => live && setDetails({ account: a, loadedAt: Date.now() }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [opened, account]);

  const currency = account?.currency;
  const parsed = currency && amount.trim() ? parseAmount(amount, currency) : null;
  const amountMinor = parsed?.ok ? parsed.minor : null;
  const recentCredits =
    details?.account.ledger.filter((e) => e.type === 'manual_credit' && details.loadedAt - new Date(e.at).getTime() <= THIRTY_DAYS) ?? [];
  const balanceNow = details?.account.balanceMinor ?? account?.balanceMinor ?? 0;
  const needsTwo = currency && limits && amountMinor !== null ? amountMinor >= limits.dualApprovalMinor[currency] : false;

  function close() {
    requestKey.reset();
    setAmount('');
    setNote('');
    setErrors({});
    setProblem(null);
    if (!fixed) setChosen(null);
    onClose();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const next: Record<string, string> = {};
    if (!account) next['account'] = 'Choose the customer’s account.';
    if (!parsed) next['amount'] = 'Enter an amount.';
    else if (!parsed.ok) next['amount'] = parsed.message;
    if (!reason) next['reason'] = 'Choose a reason.';
    if (!ticket.trim()) next['ticketId'] = 'Enter the ticket id.';
    if (reason === 'OTHER' && !note.trim()) next['note'] = 'A note is required when the reason is Other.';
    const serialParse = serial.trim() ? parseSerial(serial) : null;
    if (serialParse && !serialParse.ok) next['serial'] = serialParse.message;
    setErrors(next);
    if (Object.keys(next).length > 0 || !account || amountMinor === null || !reason) return;
    const body = {
      accountId: account.id,
      amountMinor,
      currency: account.currency,
      reason,
      ticketId: ticket.trim(),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(serialParse?.ok ? { serial: serialParse.serial } : {}),
    };
    setBusy(true);
    setProblem(null);
    try {
      const request = await call((api) => api.credits.request({ ...body, idempotencyKey: requestKey.keyFor(JSON.stringify(body)) }));
      notifications.show({
        color: 'blue',
        title: 'Credit requested',
        message: `${money(request.amountMinor, request.currency, request.account.marketplace)} for ${request.account.id} is waiting for ${request.requiredApprovals === 2 ? 'two supervisors' : 'a supervisor'} to approve.`,
      });
      creditsChanged();
      onRequested(request);
      close();
    } catch (failure) {
      if (failure instanceof CallError && failure.code === 'VALIDATION_FAILED') {
        const fields = (failure.details?.['fields'] as { path: string; message: string }[] | undefined) ?? [];
        setErrors(Object.fromEntries(fields.map((f) => [f.path === 'amountMinor' ? 'amount' : f.path, f.message])));
        if (fields.length === 0) setProblem(failure.message);
      } else setProblem(requestErrorSentence(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={account && fixed ? `Request a credit for ${account.id}` : 'Request a manual credit'} size="lg" centered>
      <form onSubmit={submit} aria-label="Request a credit">
        <Stack>
          {problem && (
            <Alert color="red" icon={<IconAlertCircle aria-hidden />} title="Not requested" role="alert">
              {problem}
            </Alert>
          )}
          {!fixed && (
            <div>
              <AccountPicker value={chosen?.id ?? null} onChange={(_id, picked) => setChosen(picked)} />
              {errors['account'] && (
                <Text c="red" size="sm" mt={4}>
                  {errors['account']}
                </Text>
              )}
            </div>
          )}
          {account && (
            <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-default-hover)" aria-label="Balance before and after">
              <SimpleGrid cols={3}>
                <div>
                  <Text size="xs" c="dimmed">
                    Balance now
                  </Text>
                  <Text fw={600}>{money(balanceNow, account.currency, account.marketplace)}</Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">
                    After this credit
                  </Text>
                  <Text fw={600} aria-label="Balance after this credit">
                    {amountMinor !== null ? money(balanceNow + amountMinor, account.currency, account.marketplace) : '—'}
                  </Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">
                    Manual credits, last 30 days
                  </Text>
                  <Text fw={600} aria-label="Manual credits in the last 30 days">
                    {recentCredits.length === 0
                      ? 'None'
                      : `${recentCredits.length} · ${money(
                          recentCredits.reduce((sum, e) => sum + e.amountMinor, 0),
                          account.currency,
                          account.marketplace,
                        )}`}
                  </Text>
                </div>
              </SimpleGrid>
            </Paper>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={`Amount${currency ? ` (${currency})` : ''}`}
              placeholder={currency === 'JPY' ? '5000' : '25.00'}
              data-autofocus
              value={amount}
              inputMode="decimal"
              onChange={(e) => {
                setAmount(e.currentTarget.value);
                setErrors((c) => ({ ...c, amount: '' }));
              }}
              error={errors['amount'] || (parsed && !parsed.ok ? parsed.message : null)}
              description={
                limits && currency
                  ? `Up to ${money(limits.maxPerRequestMinor[currency], currency)}; from ${money(limits.dualApprovalMinor[currency], currency)}, two supervisors approve.`
                  : undefined
              }
            />
            <Select
              label="Reason"
              placeholder="Choose a reason"
              data={creditReasons.map((r) => ({ value: r, label: creditReasonLabels[r] }))}
              value={reason}
              onChange={(v) => {
                setReason(v as CreditReason | null);
                setErrors((c) => ({ ...c, reason: '' }));
              }}
              error={errors['reason'] || null}
              allowDeselect={false}
            />
            <TextInput
              label="Ticket id"
              value={ticket}
              onChange={(e) => {
                setTicket(e.currentTarget.value);
                setErrors((c) => ({ ...c, ticketId: '' }));
              }}
              error={errors['ticketId'] || null}
            />
            <SerialInput
              label="Card serial (optional)"
              value={serial}
              onChange={(v) => {
                setSerial(v);
                setErrors((c) => ({ ...c, serial: '' }));
              }}
              description=" "
              error={errors['serial'] || null}
            />
          </SimpleGrid>
          <Textarea
            label={reason === 'OTHER' ? 'Note (required)' : 'Note'}
            autosize
            minRows={2}
            value={note}
            onChange={(e) => {
              setNote(e.currentTarget.value);
              setErrors((c) => ({ ...c, note: '' }));
            }}
            error={errors['note'] || null}
          />
          {needsTwo && (
            <Text size="sm" c="orange">
              This amount needs two different supervisors to approve.
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} leftSection={<IconReceiptRefund size={18} aria-hidden />}>
              Request credit
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
