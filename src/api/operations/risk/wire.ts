import type { RiskConfigurationView } from '../../../services/risk-config.js';
import { epochSeconds, type Output } from '../../operation.js';

/** RiskConfigurationType, members in the model's order. */
export function riskConfiguration(v: RiskConfigurationView): Output {
  return {
    UserPoolId: v.UserPoolId,
    ...(v.ClientId === undefined ? {} : { ClientId: v.ClientId }),
    ...v.doc,
    ...(v.lastModified === undefined ? {} : { LastModifiedDate: epochSeconds(v.lastModified) }),
  };
}
