// Module state lives as long as its worker: counts invocations; `exitAfter` ends the worker after answering.
let count = 0;
export async function handler(event) {
  count += 1;
  if (event.request?.exitAfter) setTimeout(() => process.exit(0), 5);
  return { ...event, response: { count } };
}
