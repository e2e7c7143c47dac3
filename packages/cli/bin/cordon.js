#!/usr/bin/env node
// The cordon command's launcher. Cordon's sources are TypeScript run by Node's built-in type
// stripping (Node 22.18+/24), so there is nothing to build; this file only checks the runtime.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `cordon needs Node.js 22.18 or newer (this is ${process.versions.node}); run it through npm (npm start / npx cordon), which uses the pinned Node 24.`,
  );
  process.exit(1);
}
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  // node:sqlite and type stripping announce themselves as experimental on every start; that is noise for operators.
  if (warning.name !== 'ExperimentalWarning') console.warn(warning);
});
// Cache compiled (and type-stripped) modules on disk: the command starts several times faster after the first run.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
await import('../src/main.ts');
