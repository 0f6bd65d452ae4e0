/**
 * An event as it travels through a broker: its identity, its type and schema version, its
 * payload encoded to bytes by a {@link Codec}, and its metadata as string headers (causation
 * and correlation ids, trace context, the origin).
 *
 * @example
 * ```ts
 * const envelope: Envelope = {
 *   id: event.id,
 *   type: event.type,
 *   timestamp: event.timestamp,
 *   schemaVersion: 2,
 *   payload: jsonCodec.encode(event.data),
 *   headers: { ...event.metadata },
 * };
 * ```
 */
export interface Envelope {
  /** The event id: unique, and the broker's de-duplication key where it has one. */
  readonly id: string;
  /** The event type, such as `order.placed`. */
  readonly type: string;
  /** When the event was published, in milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** The version of the type's schema the payload was written with, if the bus has schemas. */
  readonly schemaVersion?: number;
  /**
   * The payload, encoded by the codec the bridge was given. It may be a view of a larger
   * buffer (the JSON codec puts short payloads side by side in one): read its own range, never
   * all of `payload.buffer`.
   */
  readonly payload: Uint8Array;
  /** The event's metadata: string keys and values, carried as broker headers. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Turns payloads into bytes and back. JSON ({@link jsonCodec}) is the default.
 *
 * @example
 * ```ts
 * const bytes = jsonCodec.encode({ orderId: 'o1' });
 * jsonCodec.decode(bytes); // { orderId: 'o1' }
 * ```
 */
export interface Codec {
  /** The MIME type of what `encode` makes, carried as the `content-type` header. */
  readonly contentType: string;
  /** Encodes a payload; may throw for a value it cannot encode. */
  encode(data: unknown): Uint8Array;
  /** Decodes bytes; throws for bytes that are not a payload of this codec. */
  decode(bytes: Uint8Array): unknown;
}
