// The benchmark's pre token generation function as a module trigger (run in Tessera's worker threads): adds one
// ID token claim, so each sign-in shows the function ran. The webhook twin is in scenarios/triggers.mjs.
export async function handler(event) {
  event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { bench_trigger: 'module' } } };
  return event;
}
