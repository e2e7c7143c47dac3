/** What hostile-server.ts prints once it serves: where it listens and the tokens to use. */
export interface ServerInfo {
  readonly address: string;
  readonly agentUrl: string;
  readonly normal: { readonly tenantId: string; readonly analyst: string };
  readonly hostile: {
    readonly tenantId: string;
    readonly analyst: string;
    readonly ingest: string;
  };
}
