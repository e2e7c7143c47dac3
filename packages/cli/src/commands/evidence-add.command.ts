/** `cordon evidence add --tenant T FILE …`: stores a file as evidence with its custody record. */
import { AccessService, EvidenceService, LoginThrottle, systemClock } from '@cordon/core';
import { FileBlobStore } from '@cordon/storage';
import { createReadStream } from 'node:fs';
import { access as fileAccess } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import {
  adminOptions,
  adminOptionsHelp,
  printJson,
  withAdminContext,
} from '../admin/admin-context.ts';

export const evidenceAddCommand: Command = {
  name: 'evidence add',
  summary: 'Store a file as evidence, with who collected it, from where, when and how',
  help: [
    'Usage: cordon evidence add --tenant T --from WHERE --method HOW [--incident I] [--collected-by WHO] [--collected-at TIME] [--description D] FILE',
    '',
    'The file is streamed into the evidence store under its SHA-256, and a custody record',
    'and journal entry are written.',
    '',
    'Options:',
    '  --tenant T           tenant id or name',
    '  --from WHERE         where it was collected (host, path, system)',
    '  --method HOW         how it was collected (tool, command, procedure)',
    '  --incident I         incident id',
    '  --collected-by WHO   who collected it (default: the CLI user)',
    '  --collected-at TIME  when (RFC 3339; default now)',
    '  --description D      free text',
    '  --max-bytes N        size limit (default CORDON_MAX_EVIDENCE_BYTES or 2 GiB)',
    adminOptionsHelp,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...adminOptions,
        tenant: { type: 'string' },
        from: { type: 'string' },
        method: { type: 'string' },
        incident: { type: 'string' },
        'collected-by': { type: 'string' },
        'collected-at': { type: 'string' },
        description: { type: 'string' },
        'max-bytes': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (!values.tenant || !values.from || !values.method)
      throw new UsageError('--tenant, --from and --method are required');
    if (positionals.length !== 1 || !positionals[0]) throw new UsageError('give exactly one FILE');
    const file = positionals[0];
    try {
      await fileAccess(file);
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }
    const collectedAt = values['collected-at'] ? Date.parse(values['collected-at']) : undefined;
    if (collectedAt !== undefined && Number.isNaN(collectedAt))
      throw new UsageError('--collected-at is not an RFC 3339 time');
    const maxBytes = Number(
      values['max-bytes'] ?? io.env['CORDON_MAX_EVIDENCE_BYTES'] ?? 2 * 1024 ** 3,
    );
    const { tenant: tenantRef, from, method } = values;
    const item = await withAdminContext(values, io, async (c) => {
      const tenant = await new AccessService(
        c.store,
        systemClock,
        new LoginThrottle(),
      ).resolveTenant(tenantRef);
      const service = new EvidenceService({
        store: c.store,
        blobs: new FileBlobStore(join(c.dataDir, 'evidence')),
        clock: systemClock,
        maxBytes,
      });
      return service.add(
        c.actor,
        tenant.id,
        {
          filename: basename(file),
          collectedFrom: from,
          method,
          ...(values.incident ? { incidentId: values.incident } : {}),
          ...(values['collected-by'] ? { collectedBy: values['collected-by'] } : {}),
          ...(collectedAt !== undefined ? { collectedAt } : {}),
          ...(values.description ? { description: values.description } : {}),
        },
        createReadStream(file),
      );
    });
    if (values.json) printJson(io, { id: item.id, sha256: item.sha256, size: item.size });
    else
      io.stdout.write(
        `stored evidence ${item.id}\n  sha256 ${item.sha256}\n  ${item.size} bytes\n`,
      );
    return 0;
  },
};
