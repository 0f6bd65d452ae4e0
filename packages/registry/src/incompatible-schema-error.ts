import { GossipError } from '@gossip/core';
import type { CompatibilityReport } from './check-compatibility.js';
import type { CompatibilityMode } from './compatibility-mode.js';
import { RegistryErrorCode } from './error-code.js';
import type { SchemaDifference } from './schema-difference.js';

/**
 * A new version of an event's schema breaks the compatibility mode of its event type (or
 * cannot be checked against it). The message lists every breaking difference, one a line.
 *
 * @example
 * ```ts
 * try {
 *   assertCompatible('order.placed', versions, { version: 3, schema: v3 }, 'backward');
 * } catch (error) {
 *   if (error instanceof IncompatibleSchemaError) console.error(error.differences);
 * }
 * ```
 */
export class IncompatibleSchemaError extends GossipError {
  /** The event type. */
  readonly eventType: string;
  /** The version refused. */
  readonly version: number;
  /** The mode it was checked under. */
  readonly mode: CompatibilityMode;
  /** Every breaking difference (and every place that could not be checked). */
  readonly differences: ReadonlyArray<SchemaDifference>;

  /**
   * @param eventType - the event type
   * @param version - the version refused
   * @param report - what the check found
   */
  constructor(eventType: string, version: number, report: CompatibilityReport) {
    const name = `${eventType} v${version}`;
    const lines = report.differences.map((difference) => `  ${name}: ${difference.message}`);
    const verdict =
      report.status === 'cannot-check'
        ? `cannot be checked for ${report.mode} compatibility`
        : `is not ${report.mode} compatible`;
    const advice =
      report.status === 'cannot-check'
        ? `Express the schema in JSON Schema terms, or register "${eventType}" with compatibility 'none' to skip the check.`
        : `Make the change compatible (add fields as optional or with a default, widen rather than narrow), or publish it as a new event type.`;
    super(
      RegistryErrorCode.IncompatibleSchema,
      `Schema ${name} ${verdict}:\n${lines.join('\n')}\n${advice}`,
    );
    this.eventType = eventType;
    this.version = version;
    this.mode = report.mode;
    this.differences = report.differences;
  }
}
