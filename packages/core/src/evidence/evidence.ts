/**
 * Evidence items: content stored once by SHA-256, plus the custody record of how it was
 * collected. Every later access or export is a journal entry, and the hash is checked on
 * every read.
 */
export interface Evidence {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string | null;
  readonly sha256: string;
  readonly size: number;
  readonly filename: string;
  readonly mediaType: string;
  readonly description: string;
  /** Who collected it (person or agent). */
  readonly collectedBy: string;
  /** Where it came from: host, path, system. */
  readonly collectedFrom: string;
  /** When it was collected (epoch ms), which may be before it was uploaded. */
  readonly collectedAt: number;
  /** How it was collected: tool, command, procedure. */
  readonly method: string;
  readonly uploadedBy: string;
  readonly createdAt: number;
}
