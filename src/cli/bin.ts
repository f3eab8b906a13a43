// Entry point of the `tessera` command (bundled into dist/tessera.mjs by scripts/build.mjs).
import { main } from './main.js';

await main(process.argv.slice(2));
