// The admin dashboard's build: static files in web/dist, served by `nightshift serve` at `/`.
// Relative asset paths so the dashboard works behind a path prefix too.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  // `npm run dev:web` proxies the API to a running `nightshift serve` on the default port.
  server: { proxy: { '/api': 'http://127.0.0.1:8787', '/functions': 'http://127.0.0.1:8787' } },
});
