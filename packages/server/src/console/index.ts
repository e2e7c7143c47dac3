/** What `cordon serve` adds for the browser console: its files, the phase preview, live updates. */
export { consoleStaticRoutes, CONSOLE_CSP } from './console-static.ts';
export { nextPhaseRoutes } from './next-phase.routes.ts';
export { liveRoutes, defaultLiveOptions } from './live.routes.ts';
export type { LiveOptions } from './live.routes.ts';
