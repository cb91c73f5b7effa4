import { TextInput, type TextInputProps } from '@mantine/core';
import { forwardRef, useLayoutEffect, useRef, type ChangeEvent } from 'react';
import { formatSerial, SERIAL_LENGTH, stripSerialSeparators } from '../../../shared/serial';

interface SerialInputProps extends Omit<TextInputProps, 'value' | 'onChange'> {
  value: string;
  onChange(value: string): void;
}

/** Where the caret belongs after regrouping: after the same number of digits as before. */
function caretAfter(formatted: string, digitsBefore: number): number {
  if (digitsBefore === 0) return 0;
  let seen = 0;
  for (let i = 0; i < formatted.length; i++) {
    if (formatted[i] !== ' ') seen++;
    if (seen === digitsBefore) return i + 1;
  }
  return formatted.length;
}

/**
 * A serial-number field that regroups what is typed as `1700 1234 5678 9012 345`
 * while keeping the caret where the agent was typing.
 */
export const SerialInput = forwardRef<HTMLInputElement, SerialInputProps>(function SerialInput(
  { value, onChange, description, ...rest },
  forwardedRef,
) {
  const inner = useRef<HTMLInputElement | null>(null);
  const pendingCaret = useRef<number | null>(null);

  useLayoutEffect(() => {
    if (pendingCaret.current !== null && inner.current) {
      inner.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  });

  function handleChange(event: ChangeEvent<HTMLInputElement>) {
    const raw = event.currentTarget.value;
    const caret = event.currentTarget.selectionStart ?? raw.length;
    const digitsBefore = stripSerialSeparators(raw.slice(0, caret)).length;
    const formatted = formatSerial(raw);
    pendingCaret.current = caretAfter(formatted, digitsBefore);
    onChange(formatted);
  }

  const count = stripSerialSeparators(value).length;
  return (
    <TextInput
      {...rest}
      ref={(node) => {
        inner.current = node;
        if (typeof forwardedRef === 'function') forwardedRef(node);
        else if (forwardedRef) forwardedRef.current = node;
      }}
      value={value}
      onChange={handleChange}
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      classNames={{ input: 'serial' }}
      description={description ?? `${count} of ${SERIAL_LENGTH} digits`}
    />
  );
});
