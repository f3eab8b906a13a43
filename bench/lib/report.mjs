// Printing: one table per scenario (metric, value, target, PASS/MISS), numbers with thousands separators.

export const fmt = {
  int: (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-'),
  ms: (v) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')} ms` : '-'),
  mb: (v) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} MB` : '-'),
  pct: (v) => (Number.isFinite(v) ? `${Math.round(v)} %` : '-'),
  rate: (v, unit = 'req/s') => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} ${unit}` : '-'),
  ratio: (v) => (Number.isFinite(v) ? `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×` : '-'),
};

/** A target: `value` passes when `ok(value)`; `text` is how it reads in the table. */
export const atLeast = (min, unit = '') => ({ text: `≥ ${min.toLocaleString('en-US')}${unit}`, ok: (v) => v >= min });
export const below = (max, unit = '') => ({ text: `< ${max.toLocaleString('en-US')}${unit}`, ok: (v) => v < max });

/**
 * @param {string} title
 * @param {Array<[string, string, ({text: string, ok: (v: number) => boolean} | undefined)?, number?]>} rows
 *        metric, formatted value, target, raw value the target is checked against
 * @param {string[]} [notes]
 */
export function table(title, rows, notes = []) {
  const cells = rows.map(([metric, value, target, raw]) => [
    metric,
    value,
    target ? target.text : '',
    target ? (raw !== undefined && target.ok(raw) ? 'PASS' : 'MISS') : '',
  ]);
  const head = ['metric', 'value', 'target', ''];
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((r) => (r[c] ?? '').length)));
  const line = (r) => `  ${r.map((v, c) => (c === 1 ? (v ?? '').padStart(widths[c] ?? 0) : (v ?? '').padEnd(widths[c] ?? 0))).join('  ').trimEnd()}`;
  const out = [`\n${title}`, line(head), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...cells.map(line), ...notes.map((n) => `  ${n}`)];
  process.stdout.write(out.join('\n') + '\n');
  return cells.map(([metric, value, target, verdict]) => ({ metric, value, target, verdict }));
}

/** A grid (first row is the header), columns padded; numbers right-aligned. */
export function grid(title, rows, notes = []) {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  const line = (r) => `  ${r.map((v, c) => (c === 0 ? String(v ?? '').padEnd(widths[c] ?? 0) : String(v ?? '').padStart(widths[c] ?? 0))).join('  ').trimEnd()}`;
  const [head, ...body] = rows;
  const out = [`\n${title}`, line(head ?? []), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...body.map(line), ...notes.map((n) => `  ${n}`)];
  process.stdout.write(out.join('\n') + '\n');
}

/** Progress on one line (a TTY) or every few seconds (a log). */
export function progress(label) {
  const tty = process.stdout.isTTY;
  let last = 0;
  return {
    update(text) {
      const now = performance.now();
      if (tty) process.stdout.write(`\r  ${label}: ${text}\x1b[K`);
      else if (now - last > 5000 && text !== '0') {
        process.stdout.write(`  ${label}: ${text}\n`);
        last = now;
      }
    },
    done() {
      if (tty) process.stdout.write('\r\x1b[K');
    },
  };
}
