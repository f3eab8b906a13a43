import type { OperationHandler } from '../../operation.js';
import { accessToken, devicePage, deviceType, rememberedStatus } from './wire.js';

/** GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice: a user's own devices, by access token. */

export const getDevice: OperationHandler = async (input, _ctx, s) => ({
  Device: deviceType(await s.devices.get(accessToken(input), input.str('DeviceKey'))),
});

export const listDevices: OperationHandler = async (input, _ctx, s) =>
  devicePage(await s.devices.list(input.str('AccessToken'), input.optNum('Limit'), input.optStr('PaginationToken')));

export const updateDeviceStatus: OperationHandler = async (input, _ctx, s) => {
  await s.devices.updateStatus(input.str('AccessToken'), input.str('DeviceKey'), rememberedStatus(input));
  return {};
};

export const forgetDevice: OperationHandler = async (input, _ctx, s) => {
  await s.devices.forget(accessToken(input), input.str('DeviceKey'));
  return {};
};
