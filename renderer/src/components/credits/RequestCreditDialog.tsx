import { Modal } from '@mantine/core';
import { RequestCreditForm, type RequestCreditFormProps } from './RequestCreditForm';

export type { CreditPrefill } from './creditRequestForm';

interface RequestCreditDialogProps extends RequestCreditFormProps {
  opened: boolean;
}

/** The manual-credit request dialog, opened from an account, the Credits screen or a failed recovery. */
export function RequestCreditDialog({ opened, ...form }: RequestCreditDialogProps) {
  return (
    <Modal
      opened={opened}
      onClose={form.onClose}
      title={form.account ? `Request a credit for ${form.account.id}` : 'Request a manual credit'}
      size="lg"
      centered
    >
      {/* Mounted only while open: each opening is a new request with a new key. */}
      <RequestCreditForm {...form} />
    </Modal>
  );
}
