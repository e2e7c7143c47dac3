/** An address the console does not know. */
import { Anchor, Title } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../shared/query-states.tsx';

export function NotFoundScreen() {
  return (
    <>
      <Title order={1} size="h3">
        Not found
      </Title>
      <EmptyState title="There is no screen at this address">
        <Anchor component={Link} to="/overview">
          Go to the overview
        </Anchor>
      </EmptyState>
    </>
  );
}
