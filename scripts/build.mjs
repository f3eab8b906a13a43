// After tsc: copies the service model next to the compiled API layer and bundles the CLI into one file.
// The bundle starts in about half the time of the module graph (kysely and fastify alone are ~400 files),
// which is what `tessera serve` start-up is measured on. Native and lazily loaded packages stay external.
import { cpSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

for (const dir of ['dist/api/model', 'dist/model']) {
  mkdirSync(dir, { recursive: true });
  cpSync('src/api/model', dir, { recursive: true });
}

await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/tessera.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['better-sqlite3', '@node-rs/argon2', 'pg', 'nodemailer', '@peculiar/x509', 'reflect-metadata', '@simplewebauthn/server', '@smithy/signature-v4'],
  // Bundled CommonJS packages (fastify) call require(); give the ES module one.
  banner: { js: "import { createRequire as __tesseraRequire } from 'node:module'; const require = __tesseraRequire(import.meta.url);" },
});
