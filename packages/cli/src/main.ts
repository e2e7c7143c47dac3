/** Process entry of the `cordon` command (see bin/cordon.js). */
import { runCli } from './run-cli.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;
