import { notAuthorized } from '../../../domain/errors.js';
import type { Input } from '../../../domain/input.js';
import type { DevicePage, DeviceView, RememberedStatus } from '../../../services/devices.js';
import { epochSeconds, type Output } from '../../operation.js';

/** DeviceType, members in Cognito's order. */
export function deviceType(d: DeviceView): Output {
  return {
    DeviceKey: d.key,
    DeviceAttributes: d.attributes,
    DeviceCreateDate: epochSeconds(d.createdAt),
    DeviceLastModifiedDate: epochSeconds(d.modifiedAt),
    DeviceLastAuthenticatedDate: epochSeconds(d.lastAuthenticatedAt),
  };
}

/** ListDevicesResponse / AdminListDevicesResponse. */
export function devicePage(p: DevicePage): Output {
  return { Devices: p.devices.map(deviceType), ...(p.paginationToken === undefined ? {} : { PaginationToken: p.paginationToken }) };
}

/** DeviceRememberedStatus (the model already checked the enum). */
export function rememberedStatus(input: Input): RememberedStatus | undefined {
  const s = input.optStr('DeviceRememberedStatus');
  return s === 'remembered' || s === 'not_remembered' ? s : undefined;
}

/** GetDevice and ForgetDevice make AccessToken optional in the model, but nothing else can name the user. */
export function accessToken(input: Input): string {
  const t = input.optStr('AccessToken');
  if (t === undefined) throw notAuthorized('Invalid Access Token');
  return t;
}

/** The pool, user and device an Admin device operation names. */
export function adminTarget(input: Input): [string, string, string] {
  return [input.str('UserPoolId'), input.str('Username'), input.str('DeviceKey')];
}
