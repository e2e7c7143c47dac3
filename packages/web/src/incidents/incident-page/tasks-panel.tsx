/** Tasks by phase (eradication, return-to-service, verification checklists) with their status. */
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import type { Phase } from '../../api/api-types.ts';
import { PHASES, PHASE_LABEL } from '../../api/vocabulary.ts';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import { useAddTask, useSetTaskStatus, useTasks } from '../use-incidents.ts';

export function TasksPanel({
  tenantId,
  incidentId,
  currentPhase,
  writable,
}: {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly currentPhase: Phase;
  readonly writable: boolean;
}) {
  const tasks = useTasks(tenantId, incidentId);
  const add = useAddTask(tenantId, incidentId);
  const setStatus = useSetTaskStatus(tenantId, incidentId);
  const nextPhase =
    PHASES[Math.min(PHASES.indexOf(currentPhase) + 1, PHASES.length - 1)] ?? currentPhase;
  const [phase, setPhase] = useState<Phase>(nextPhase);
  const [title, setTitle] = useState('');
  return (
    <Stack gap="sm">
      {tasks.isPending ? (
        <LoadingState label="Loading tasks…" />
      ) : tasks.error ? (
        <ErrorState error={tasks.error} />
      ) : tasks.data.length === 0 ? (
        <EmptyState title="No tasks yet">
          Eradication, recovery and verification phases need their tasks done.
        </EmptyState>
      ) : (
        <Table aria-label="Tasks" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Done</Table.Th>
              <Table.Th scope="col">Task</Table.Th>
              <Table.Th scope="col">Phase</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Completed by</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.data.map((task) => (
              <Table.Tr key={task.id}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Done: ${task.title}`}
                    checked={task.status === 'done'}
                    disabled={!writable || setStatus.isPending}
                    onChange={(e) =>
                      setStatus.mutate({
                        taskId: task.id,
                        status: e.currentTarget.checked ? 'done' : 'open',
                      })
                    }
                  />
                </Table.Td>
                <Table.Td>{task.title}</Table.Td>
                <Table.Td>{PHASE_LABEL[task.phase]}</Table.Td>
                <Table.Td>
                  <Badge
                    size="sm"
                    variant="light"
                    color={
                      task.status === 'done' ? 'green' : task.status === 'failed' ? 'red' : 'gray'
                    }
                  >
                    {task.status}
                  </Badge>
                </Table.Td>
                <Table.Td>{task.completedBy ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {writable && (
        <Group gap="xs" align="flex-end">
          <Select
            label="Task phase"
            size="sm"
            w={160}
            data={PHASES.map((p) => ({ value: p, label: PHASE_LABEL[p] }))}
            value={phase}
            onChange={(v) => v && setPhase(v)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label="Task title"
            size="sm"
            w={320}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <Button
            disabled={title.trim() === ''}
            loading={add.isPending}
            onClick={() =>
              add.mutate({ phase, title: title.trim() }, { onSuccess: () => setTitle('') })
            }
          >
            Add task
          </Button>
        </Group>
      )}
      {(add.error ?? setStatus.error) && (
        <Text c="red.8" size="sm" role="alert">
          {(add.error ?? setStatus.error)?.message}
        </Text>
      )}
    </Stack>
  );
}
