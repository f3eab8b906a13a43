// Summarises a V8 CPU profile (node --cpu-prof): self time per function, the largest first.
//   node bench/lib/profile-top.mjs <file.cpuprofile | directory> [rows]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [target, rowsArg] = process.argv.slice(2);
if (!target) {
  process.stderr.write('usage: node bench/lib/profile-top.mjs <file.cpuprofile | directory> [rows]\n');
  process.exit(2);
}
const files = statSync(target).isDirectory()
  ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f))
  : [target];
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const timeOf = new Map();
  profile.samples.forEach((id, i) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const t = timeOf.get(node.id) ?? 0;
    total += t;
    const f = node.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\//, '').split('/').slice(-3).join('/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + t);
  }
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
  for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(rowsArg ?? 30))) {
    process.stdout.write(`${((t / total) * 100).toFixed(1).padStart(6)} %  ${key}\n`);
  }
}
