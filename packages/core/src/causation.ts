import { LoopDetectedError } from './errors.js';
import { type AnyEvent, type Metadata, MetadataKey } from './event.js';

/**
 * The metadata of an event published by a handler of `cause` (`ctx.publish`): the caller's
 * metadata plus the causation id, the correlation id (the chain's first event) and the depth
 * in the chain. A chain deeper than `maxDepth` looks like a loop and is refused.
 *
 * @throws LoopDetectedError past `maxDepth`
 */
export function causedMetadata(
  type: string,
  cause: AnyEvent,
  metadata: Metadata,
  maxDepth: number,
): Metadata {
  const depth = depthOf(cause) + 1;
  if (depth > maxDepth) throw new LoopDetectedError(type, cause, maxDepth);
  return {
    ...metadata,
    [MetadataKey.CausationId]: cause.id,
    [MetadataKey.CorrelationId]: cause.metadata[MetadataKey.CorrelationId] ?? cause.id,
    [MetadataKey.CausationDepth]: String(depth),
  };
}

/** The depth of an event in its causation chain; 0 for anything that is not a sane count. */
function depthOf(event: AnyEvent): number {
  const depth = Number(event.metadata[MetadataKey.CausationDepth] ?? 0);
  return Number.isSafeInteger(depth) && depth > 0 ? depth : 0;
}
