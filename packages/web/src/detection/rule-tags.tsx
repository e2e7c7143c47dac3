/** A rule's tags as badges: ATT&CK techniques by their id (T1078), tactics and others as written. */
import { Badge, Group, Text } from '@mantine/core';

const TECHNIQUE = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;

export function tagLabel(tag: string): string {
  const technique = TECHNIQUE.exec(tag);
  if (technique) return technique[1]!.toUpperCase();
  return tag.startsWith('attack.') ? tag.slice('attack.'.length) : tag;
}

export function RuleTags({ tags }: { readonly tags: readonly string[] }) {
  if (tags.length === 0)
    return (
      <Text size="sm" c="dimmed" component="span">
        none
      </Text>
    );
  return (
    <Group gap={4}>
      {tags.map((tag) => (
        <Badge
          key={tag}
          size="sm"
          variant="outline"
          color={tag.startsWith('attack.') ? 'indigo' : 'gray'}
          c="dark.9"
          title={tag}
          tt="none"
        >
          {tagLabel(tag)}
        </Badge>
      ))}
    </Group>
  );
}
