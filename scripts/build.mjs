// Copies the service model data next to the compiled API layer (tsc copies only what it compiles).
import { cpSync, mkdirSync } from 'node:fs';
mkdirSync('dist/api/model', { recursive: true });
cpSync('src/api/model', 'dist/api/model', { recursive: true });
