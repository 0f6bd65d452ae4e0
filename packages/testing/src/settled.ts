/**
 * Resolves when the bus has nothing queued, blocked or running: `bus.idle()`, named for tests.
 * Publish, `await settled(bus)`, then assert on what the handlers did.
 *
 * @param bus - the bus (anything with `idle()`)
 * @returns a promise that resolves once the bus is idle
 *
 * @example
 * ```ts
 * void bus.publish('order.paid', { orderId: 'o1', amount: 10 });
 * await settled(bus);
 * expect(charged).toEqual(['o1']);
 * ```
 */
export function settled(bus: { idle(): Promise<void> }): Promise<void> {
  return bus.idle();
}
