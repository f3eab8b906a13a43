/** Minimal structured logger. Callers never pass secrets (passwords, codes, tokens, keys) to it. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function consoleLogger(level: 'info' | 'warn' | 'error' | 'silent' = 'info'): Logger {
  const rank = { info: 0, warn: 1, error: 2, silent: 3 }[level];
  const write = (lvl: string, r: number) => (msg: string, fields?: Record<string, unknown>) => {
    if (r < rank) return;
    const line = fields && Object.keys(fields).length > 0 ? `${msg} ${JSON.stringify(fields)}` : msg;
    process.stderr.write(`[tessera] ${lvl} ${line}\n`);
  };
  return { info: write('info', 0), warn: write('warn', 1), error: write('error', 2) };
}
