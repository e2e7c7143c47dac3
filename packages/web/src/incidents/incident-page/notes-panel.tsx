/** The incident's notes, newest last, and a form to add one. */
import { Button, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import { useAddNote, useNotes } from '../use-incidents.ts';

export function NotesPanel({
  tenantId,
  incidentId,
  writable,
}: {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly writable: boolean;
}) {
  const notes = useNotes(tenantId, incidentId);
  const add = useAddNote(tenantId, incidentId);
  const [body, setBody] = useState('');
  return (
    <Stack gap="sm" maw={820}>
      {notes.isPending ? (
        <LoadingState label="Loading notes…" />
      ) : notes.error ? (
        <ErrorState error={notes.error} />
      ) : notes.data.length === 0 ? (
        <EmptyState title="No notes yet" />
      ) : (
        notes.data.map((note) => (
          <Paper key={note.id} withBorder p="sm" component="article">
            <Text size="xs" c="dimmed">
              {note.author} · {new Date(note.createdAt).toLocaleString()}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {note.body}
            </Text>
          </Paper>
        ))
      )}
      {writable && (
        <Stack gap="xs">
          <Textarea
            label="New note"
            autosize
            minRows={2}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <Button
            w="fit-content"
            disabled={body.trim() === ''}
            loading={add.isPending}
            onClick={() => add.mutate(body.trim(), { onSuccess: () => setBody('') })}
          >
            Add note
          </Button>
          {add.error && (
            <Text c="red.8" size="sm" role="alert">
              {add.error.message}
            </Text>
          )}
        </Stack>
      )}
    </Stack>
  );
}
