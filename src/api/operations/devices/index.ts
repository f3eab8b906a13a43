import type { OperationHandler } from '../../operation.js';
import { adminForgetDevice, adminGetDevice, adminListDevices, adminUpdateDeviceStatus } from './admin-devices.js';
import { confirmDevice } from './confirm-device.js';
import { forgetDevice, getDevice, listDevices, updateDeviceStatus } from './self-devices.js';

/** Device tracking: the user's own devices (by access token) and the Admin twins (signed). */
export const deviceOperations: Record<string, OperationHandler> = {
  ConfirmDevice: confirmDevice,
  GetDevice: getDevice,
  ListDevices: listDevices,
  UpdateDeviceStatus: updateDeviceStatus,
  ForgetDevice: forgetDevice,
  AdminGetDevice: adminGetDevice,
  AdminListDevices: adminListDevices,
  AdminUpdateDeviceStatus: adminUpdateDeviceStatus,
  AdminForgetDevice: adminForgetDevice,
};
