import type { RiskLevel } from './risk-config.js';

/**
 * Tessera's account-takeover risk model, kept simple and explainable (Cognito's own model is a trained
 * service; its inputs include "whether it detects a new device, user location, or IP address" and failed
 * attempts, DG cognito-user-pool-settings-adaptive-authentication). Each signal adds points:
 *
 *   a sign-in from an IP address this user never signed in from           1
 *   a sign-in from a device (DEVICE_KEY or user agent) never seen before     1
 *   1 or 2 failed attempts since the last successful sign-in (15 minutes)    1
 *   3 or more failed attempts                                                 2
 *
 * 0 points is no risk; 1 is Low, 2 is Medium, 3 or more is High. A user's first sign-in has nothing to
 * compare the IP and device with, so only failures count then. City and country are not known here.
 */
export interface RiskSignals {
  newIp: boolean;
  newDevice: boolean;
  recentFailures: number;
}

/** How long failed attempts count towards the risk of the next sign-in. */
export const FAILURE_WINDOW_MS = 15 * 60_000;

export function riskPoints(s: RiskSignals): number {
  const failures = s.recentFailures >= 3 ? 2 : s.recentFailures > 0 ? 1 : 0;
  return (s.newIp ? 1 : 0) + (s.newDevice ? 1 : 0) + failures;
}

/** The risk level of a sign-in, or undefined for no risk. */
export function riskLevelOf(s: RiskSignals): RiskLevel | undefined {
  const points = riskPoints(s);
  if (points === 0) return undefined;
  return points === 1 ? 'Low' : points === 2 ? 'Medium' : 'High';
}

/** Failed sign-ins since the last successful one, from the newest-first responses of recent sign-ins. */
export function failuresSinceLastSuccess(responses: readonly string[]): number {
  let n = 0;
  for (const r of responses) {
    if (r === 'Pass') break;
    if (r === 'Fail') n++;
  }
  return n;
}
