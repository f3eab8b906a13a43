// Regenerates assets/breached-passwords.txt.gz, the breached-password list that threat protection's
// compromised-credentials check uses (src/services/risk-compromised.ts). Source: the ranked password list of
// zxcvbn-ts (@zxcvbn-ts/language-common, MIT), itself drawn from passwords leaked in public breaches; it is
// lower-case, one password a line. Run: node scripts/breached-passwords.mjs [version]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const version = process.argv[2] ?? '4.1.3';
const dir = mkdtempSync(join(tmpdir(), 'breached-'));
try {
  const tgz = execFileSync('npm', ['pack', `@zxcvbn-ts/language-common@${version}`, '--silent'], { cwd: dir, encoding: 'utf8' }).trim();
  execFileSync('tar', ['xzf', tgz], { cwd: dir });
  const list = JSON.parse(readFileSync(join(dir, 'package/src/passwords.json'), 'utf8'));
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) throw new Error('unexpected passwords.json');
  const unique = [...new Set(list.map((p) => p.toLowerCase()))];
  writeFileSync('assets/breached-passwords.txt.gz', gzipSync(unique.join('\n') + '\n', { level: 9 }));
  console.log(`assets/breached-passwords.txt.gz: ${unique.length} passwords from @zxcvbn-ts/language-common@${version}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
