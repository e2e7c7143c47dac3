/**
 * Preparation: what the tenant has ready before an incident — its readiness score and gaps
 * (readable by everyone with access to the tenant, client viewers included: the client should
 * see what is missing) and, for those who may change it, the asset inventory import.
 */
import { Grid, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { canWrite, roleIn, useSession } from '../auth/use-session.ts';
import { AssetImportPanel } from './asset-import-panel.tsx';
import { ReadinessPanel } from './readiness-panel.tsx';

export function PreparationScreen() {
  const { tenantId = '' } = useParams();
  const session = useSession();
  const writable = canWrite(roleIn(session.data, tenantId));
  return (
    <>
      <Title order={1} size="h3" mb="md">
        Preparation
      </Title>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: writable ? 7 : 12 }}>
          <ReadinessPanel tenantId={tenantId} writable={writable} />
        </Grid.Col>
        {writable && (
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <AssetImportPanel tenantId={tenantId} />
          </Grid.Col>
        )}
      </Grid>
    </>
  );
}
