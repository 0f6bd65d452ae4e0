/**
 * The notification service pushes a welcome to the new user's phone. Its push provider
 * rejects expired device tokens: the handler fails, the bus reports it, and nothing else is
 * affected; the other services handle the same event as if nothing happened.
 */
import type { AppBus } from '../events.js';

/** A phone with the app installed, and whether its push token has expired. */
export interface Device {
  readonly deviceId: string;
  readonly expired: boolean;
}

export class NotificationService {
  /** @param devices - each user's device, and whether its push token has expired */
  constructor(bus: AppBus, devices: ReadonlyMap<string, Device>) {
    bus.subscribe(
      'user.account.created',
      async (event, ctx) => {
        const { userId, email } = event.data;
        const device = devices.get(email);
        if (device === undefined) return; // no app installed: nothing to push
        if (device.expired)
          throw new Error(`push provider refused device ${device.deviceId}: token expired`);
        await ctx.publish('notification.push.sent', { userId, deviceId: device.deviceId });
      },
      { name: 'notification.push' },
    );
  }
}
