import type { OperationHandler } from '../../operation.js';
import { adminTarget, devicePage, deviceType, rememberedStatus } from './wire.js';

/** AdminGetDevice, AdminListDevices, AdminUpdateDeviceStatus, AdminForgetDevice (signed). */

export const adminGetDevice: OperationHandler = async (input, ctx, s) => ({
  Device: deviceType(await s.devices.adminGet(ctx, ...adminTarget(input))),
});

export const adminListDevices: OperationHandler = async (input, ctx, s) =>
  devicePage(await s.devices.adminList(ctx, input.str('UserPoolId'), input.str('Username'), input.optNum('Limit'), input.optStr('PaginationToken')));

export const adminUpdateDeviceStatus: OperationHandler = async (input, ctx, s) => {
  await s.devices.adminUpdateStatus(ctx, ...adminTarget(input), rememberedStatus(input));
  return {};
};

export const adminForgetDevice: OperationHandler = async (input, ctx, s) => {
  await s.devices.adminForget(ctx, ...adminTarget(input));
  return {};
};
