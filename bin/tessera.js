#!/usr/bin/env node
// `npm run build` (run by `npm start`) writes the bundle this loads.
import '../dist/tessera.mjs';
