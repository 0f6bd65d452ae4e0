import { GossipError } from '@gossip/core';
import { RegistryErrorCode } from './error-code.js';

/**
 * A schema cannot be exported as JSON Schema: a zod transform, a custom type, a Standard
 * Schema without a JSON Schema converter.
 *
 * @example
 * ```ts
 * try {
 *   toJSONSchemaDocuments(catalogue);
 * } catch (error) {
 *   if (error instanceof UnrepresentableSchemaError) console.error(error.eventType, error.version);
 * }
 * ```
 */
export class UnrepresentableSchemaError extends GossipError {
  /** The event type. */
  readonly eventType: string;
  /** The version whose schema cannot be exported. */
  readonly version: number;

  /**
   * @param eventType - the event type
   * @param version - the version whose schema cannot be exported
   * @param reason - why, as the converter said
   */
  constructor(eventType: string, version: number, reason: string) {
    super(
      RegistryErrorCode.UnrepresentableSchema,
      `Cannot export the schema of ${eventType} v${version} as JSON Schema: ${reason}. Describe the payload as it goes on the wire (no transform), or give a JSON Schema for this version in the catalogue.`,
    );
    this.eventType = eventType;
    this.version = version;
  }
}
