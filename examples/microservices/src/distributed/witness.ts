/**
 * `witness` reports every handler call of a service to the launcher: which handler, which
 * event, how it ended, and how many times this handler has now been called with that event id
 * (more than once means the broker delivered it again). It sits inside `withDedupe`, so it
 * sees the calls that ran, not the duplicates skipped.
 */
import { MetadataKey, type Middleware } from '@gossip/core';
import type { HandledMessage, ServiceName } from './protocol.js';

/** Makes the middleware; `report` gets one message per handler call. */
export function witness(
  service: ServiceName,
  report: (message: HandledMessage) => void,
): Middleware {
  const calls = new Map<string, number>();
  return (next) => async (event, ctx) => {
    const key = `${ctx.subscription} ${event.id}`;
    const delivery = (calls.get(key) ?? 0) + 1;
    calls.set(key, delivery);
    const { data, metadata } = event;
    const seen = {
      kind: 'handled',
      service,
      handler: ctx.subscription,
      type: event.type,
      eventId: event.id,
      userId:
        typeof data === 'object' &&
        data !== null &&
        'userId' in data &&
        typeof data.userId === 'string'
          ? data.userId
          : undefined,
      origin: metadata[MetadataKey.Origin],
      causationId: metadata[MetadataKey.CausationId],
      correlationId: metadata[MetadataKey.CorrelationId],
      delivery,
    } as const;
    const start = performance.now();
    const took = (): number => Math.round((performance.now() - start) * 10) / 10;
    try {
      await next(event, ctx);
    } catch (error) {
      report({
        ...seen,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
        durationMs: took(),
      });
      throw error;
    }
    report({ ...seen, ok: true, durationMs: took() });
  };
}
