import { Button } from '@mantine/core';
import { IconShieldSearch } from '@tabler/icons-react';
import { useNavigation } from '../../shell/navigation';

/**
 * "Audit trail": the Audit screen filtered to this card or account. Shown only to the
 * roles the contract lets call `audit:list` (the navigation's own rule); the main
 * process refuses everyone else anyway.
 */
export function AuditTrailLink({ subject, name }: { subject: string; name: string }) {
  const { navigate, canOpen } = useNavigation();
  if (!canOpen('audit')) return null;
  return (
    <Button
      variant="subtle"
      size="xs"
      leftSection={<IconShieldSearch size={16} aria-hidden />}
      onClick={() => navigate('audit', { subject })}
      aria-label={`Audit trail of ${name}`}
    >
      Audit trail
    </Button>
  );
}
