import type { AuthEventRow } from '../../../store/schema.js';
import { epochSeconds, type Output } from '../../operation.js';

function challengesOf(json: string): unknown {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed : [];
}

/** AuthEventType, members in the model's order; city, country and time zone are not known here. */
export function authEvent(e: AuthEventRow): Output {
  const context = { ...(e.ip_address === null ? {} : { IpAddress: e.ip_address }), ...(e.device_name === null ? {} : { DeviceName: e.device_name }) };
  return {
    EventId: e.id,
    EventType: e.event_type,
    CreationDate: epochSeconds(Number(e.created_at)),
    EventResponse: e.response,
    EventRisk: {
      RiskDecision: e.risk_decision,
      ...(e.risk_level === null ? {} : { RiskLevel: e.risk_level }),
      CompromisedCredentialsDetected: e.compromised === 1,
    },
    ChallengeResponses: challengesOf(e.challenges),
    EventContextData: context,
    ...(e.feedback_value === null
      ? {}
      : {
          EventFeedback: {
            FeedbackValue: e.feedback_value,
            Provider: e.feedback_provider ?? '',
            ...(e.feedback_at === null ? {} : { FeedbackDate: epochSeconds(Number(e.feedback_at)) }),
          },
        }),
  };
}
