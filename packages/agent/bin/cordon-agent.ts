/**
 * Stand-alone agent entry point (the `cordon agent …` CLI commands call the same functions):
 *   node cordon-agent.ts run --config FILE
 *   node cordon-agent.ts release --config FILE --code CODE
 * `run` stops cleanly on SIGTERM/SIGINT; containment state stays as it is.
 */
import { parseArgs } from 'node:util';
import { AgentRuntime, loadAgentConfig, releaseWithOfflineCode } from '../src/index.ts';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: { config: { type: 'string' }, code: { type: 'string' } },
});
if (values.config === undefined || (command !== 'run' && command !== 'release')) {
  console.error('usage: cordon-agent.ts run --config FILE | release --config FILE --code CODE');
  process.exit(2);
}
const config = await loadAgentConfig(values.config);
if (command === 'release') {
  if (values.code === undefined) {
    console.error('release needs --code');
    process.exit(2);
  }
  const result = await releaseWithOfflineCode(config, values.code);
  console.log(JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
}
const runtime = new AgentRuntime({ config });
await runtime.start();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    runtime.stop();
    process.exit(0);
  });
}
