import { defineConfig } from 'vite';

// React's JSX goes through esbuild (tsconfig's "jsx": "react-jsx"); no plugin is needed for a build.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  esbuild: { jsx: 'automatic' },
});
