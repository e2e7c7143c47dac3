/** `cordon lab scenario NAME`: plays one whole incident in a lab of its own (issue 14). */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { SCENARIOS, runWorkstationCompromise } from '../scenario/workstation-compromise.ts';

export const labScenarioCommand: Command = {
  name: 'lab scenario',
  summary: 'Play a whole incident in the lab: the attack, then every phase of the response',
  help: [
    `Usage: cordon lab scenario NAME [--json]      NAME: ${SCENARIOS.join(', ')}`,
    '',
    'Brings up a lab of its own (4 hosts, an attacker, a server, agents), runs the attack and',
    'then the response through the API: detection, identification, containment (policy,',
    'failover then isolation, the two-person rule), the shipped playbook, eradication,',
    'recovery, verification and closure; prints each step with the API call that did it, the',
    "incident's metrics and the journal verification; removes its namespaces. Needs root.",
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const name = positionals[0];
    if (name === undefined || !(SCENARIOS as readonly string[]).includes(name))
      throw new UsageError(`name a scenario: ${SCENARIOS.join(', ')}`);
    const result = await runWorkstationCompromise({
      name: `sc${randomBytes(2).toString('hex')}`,
      onStep: (s) => {
        if (!values.json)
          io.stdout.write(
            `${(s.atMs / 1000).toFixed(1).padStart(6)} s  ${s.phase.padEnd(10)} ${s.what}\n${' '.repeat(20)}↳ ${s.call}\n`,
          );
      },
    });
    if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else
      io.stdout.write(`${result.reference} closed in ${(result.durationMs / 1000).toFixed(1)} s\n`);
    return result.journal.exitCode === 0 ? 0 : 1;
  },
};
