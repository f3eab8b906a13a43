// Appends one line per invocation to the file named by TRIGGER_COUNT_FILE, then hangs: counts retries.
import { appendFileSync } from 'node:fs';
export async function handler(event) {
  appendFileSync(process.env.TRIGGER_COUNT_FILE, `${event.triggerSource}\n`);
  await new Promise((r) => setTimeout(r, 60_000));
}
