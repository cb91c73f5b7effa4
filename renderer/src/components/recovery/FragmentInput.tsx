import { Box, Group, Text, TextInput, type TextInputProps } from '@mantine/core';
import type { ChangeEvent } from 'react';

/** Groups as printed (4-6-rest), keeping `?` for unreadable characters. */
function formatFragment(raw: string): string {
  const chars = raw.replace(/[\s\-\u2010-\u2015\u2212]/gu, '').toUpperCase();
  const parts = [chars.slice(0, 4), chars.slice(4, 10), chars.slice(10)].filter((p) => p.length > 0);
  return parts.join('-');
}

interface FragmentInputProps extends Omit<TextInputProps, 'value' | 'onChange'> {
  value: string;
  onChange(value: string): void;
}

/**
 * The legible part of a scratched claim code. Each position of the code is a box:
 * what the caller can read goes in, `?` stands for what they cannot.
 */
export function FragmentInput({ value, onChange, ...rest }: FragmentInputProps) {
  const chars = value.replace(/-/g, '').split('');
  const legible = chars.filter((c) => c !== '?').length;
  return (
    <div>
      <TextInput
        {...rest}
        value={value}
        onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(formatFragment(event.currentTarget.value))}
        autoComplete="off"
        spellCheck={false}
        classNames={{ input: 'serial' }}
        description={
          chars.length === 0
            ? 'Optional. Type what can be read; ? for each character that cannot (14 or 15 in all).'
            : `${chars.length} of 14–15 positions · ${legible} legible`
        }
      />
      {chars.length > 0 && (
        <Group gap={4} mt={6} aria-hidden>
          {Array.from({ length: Math.max(14, chars.length) }, (_, i) => {
            const c = chars[i];
            return (
              <Box
                key={i}
                w={22}
                h={28}
                bd="1px solid var(--mantine-color-default-border)"
                bg={c === undefined ? 'transparent' : c === '?' ? 'var(--mantine-color-default-hover)' : 'var(--mantine-color-indigo-light)'}
                style={{ borderRadius: 4, display: 'grid', placeItems: 'center', marginRight: i === 3 || i === 9 ? 8 : 0 }}
              >
                <Text size="sm" ff="monospace" c={c === '?' ? 'dimmed' : undefined}>
                  {c ?? ''}
                </Text>
              </Box>
            );
          })}
        </Group>
      )}
    </div>
  );
}
