// The console's build: React, code split by route (each screen is a lazy chunk), output in
// dist/ for `cordon serve`. In development (`npx vite` here) /api goes to a local server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The budget is checked by scripts/bundle-budget.ts; this only silences Vite's generic warning.
    chunkSizeWarningLimit: 1024,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
