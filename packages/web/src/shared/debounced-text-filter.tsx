/** A text filter that writes to the URL once typing pauses (not on every key). */
import { TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';

export function DebouncedTextFilter({
  label,
  value,
  onChange,
  placeholder,
}: {
  readonly label: string;
  readonly value: string | undefined;
  readonly onChange: (value: string | undefined) => void;
  readonly placeholder?: string;
}) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const commit = useDebouncedCallback(
    (next: string) => onChange(next.trim() === '' ? undefined : next.trim()),
    400,
  );
  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      value={text}
      size="sm"
      onChange={(e) => {
        setText(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
    />
  );
}
