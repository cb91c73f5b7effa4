import { Alert, Button, Group, List, Paper, Text } from '@mantine/core';
import { IconAlertTriangle, IconSearchOff, type Icon } from '@tabler/icons-react';
import { forwardRef, type FormEvent, type ReactNode } from 'react';
import { formatSerial } from '../../../shared/serial';
import { SerialInput } from './SerialInput';

interface SerialSearchFormProps {
  /** The form's accessible name. */
  name: string;
  buttonLabel: string;
  icon: Icon;
  value: string;
  error: string | null;
  busy: boolean;
  hint: ReactNode;
  onChange(value: string): void;
  onSubmit(event: FormEvent): void;
}

/** The serial field (focused, grouped as typed) with its button; Enter submits. */
export const SerialSearchForm = forwardRef<HTMLInputElement, SerialSearchFormProps>(function SerialSearchForm(
  { name, buttonLabel, icon: ButtonIcon, value, error, busy, hint, onChange, onSubmit },
  ref,
) {
  return (
    <Paper withBorder p="lg" radius="lg" component="form" onSubmit={onSubmit} aria-label={name}>
      <Group align="flex-start" wrap="nowrap">
        <SerialInput
          ref={ref}
          label="Serial number"
          placeholder="1700 0000 0000 0000 000"
          size="md"
          autoFocus
          style={{ flex: 1 }}
          value={value}
          onChange={onChange}
          error={error}
        />
        <Button type="submit" size="md" mt={25} loading={busy} leftSection={<ButtonIcon size={18} aria-hidden />}>
          {buttonLabel}
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt="xs">
        {hint}
      </Text>
    </Paper>
  );
});

/** No card with this serial, and the existing serials one typo away. */
export function SerialNotFound({
  serial,
  message,
  suggestions,
  onOpen,
}: {
  serial: string;
  message: string;
  suggestions: string[];
  onOpen(serial: string): void;
}) {
  return (
    <Alert color="yellow" icon={<IconSearchOff aria-hidden />} title={`No card with serial ${formatSerial(serial)}`} role="alert">
      <Text size="sm">{message}</Text>
      {suggestions.length > 0 && (
        <List mt="sm" spacing={6} listStyleType="none" aria-label="Did you mean">
          {suggestions.map((suggestion) => (
            <List.Item key={suggestion}>
              <Button variant="light" size="compact-md" className="serial" onClick={() => onOpen(suggestion)}>
                {formatSerial(suggestion)}
              </Button>
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

export function SearchFailed({ title, message }: { title: string; message: string }) {
  return (
    <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={title} role="alert">
      {message}
    </Alert>
  );
}
