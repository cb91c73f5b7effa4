import { TextInput, type TextInputProps } from '@mantine/core';
import { forwardRef, type ChangeEvent } from 'react';
import { canonicalClaimCode, formatClaimCode } from '../../../shared/claimCode';

interface ClaimCodeInputProps extends Omit<TextInputProps, 'value' | 'onChange'> {
  value: string;
  onChange(value: string): void;
}

/** Shows the code as printed on the card (`ABCD-EFGHIJ-KLMN`) while it is typed. */
export const ClaimCodeInput = forwardRef<HTMLInputElement, ClaimCodeInputProps>(function ClaimCodeInput(
  { value, onChange, description, ...rest },
  ref,
) {
  const length = canonicalClaimCode(value).length;
  return (
    <TextInput
      {...rest}
      ref={ref}
      value={value}
      onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(formatClaimCode(event.currentTarget.value))}
      autoComplete="off"
      spellCheck={false}
      autoCapitalize="characters"
      classNames={{ input: 'serial' }}
      description={description ?? `${length} of 14–15 characters`}
    />
  );
});
