export async function handler() {
  for (;;) {} // never answers; the invoker must end the worker
}
