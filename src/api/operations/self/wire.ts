import type { CodeDeliveryDetails } from '../../../services/user-codes.js';
import type { Output } from '../../operation.js';

/** CodeDeliveryDetailsType on the wire. */
export const codeDelivery = (d: CodeDeliveryDetails): Output => ({ Destination: d.Destination, DeliveryMedium: d.DeliveryMedium, AttributeName: d.AttributeName });
