import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ErrorCode } from './error-code.js';
import { GossipError } from './gossip-error.js';

/** One problem a schema found in a payload, with the path to the offending field. */
export interface ValidationIssue {
  /** What the schema says is wrong. */
  readonly message: string;
  /** Where in the payload, as a list of keys and indexes; empty for the payload itself. */
  readonly path: ReadonlyArray<PropertyKey>;
}

function issuePath(issue: StandardSchemaV1.Issue): PropertyKey[] {
  return (issue.path ?? []).map((segment) =>
    typeof segment === 'object' && segment !== null ? segment.key : segment,
  );
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(payload)' : path.map(String).join('.');
}

/**
 * A payload did not match its event's schema; no handler was called.
 *
 * @example
 * ```ts
 * const result = registry.validateSync('user.created', { email: 42 });
 * if (!result.success) logger.info(result.error.issues[0]?.path);
 * ```
 */
export class ValidationError extends GossipError {
  /** The event type whose schema refused the payload. */
  readonly eventType: string;
  /** The schema's issues, each with its path. */
  readonly issues: ReadonlyArray<ValidationIssue>;

  /**
   * @param eventType - the event type whose schema refused the payload
   * @param issues - the issues as the Standard Schema validator reported them
   * @param options - the underlying cause, if any: what a validator threw on a payload it could
   *   not read; and the schema version the payload was validated against, named in the message
   *   (given on receipt of an event that carries its version)
   */
  constructor(
    eventType: string,
    issues: ReadonlyArray<StandardSchemaV1.Issue>,
    options?: { cause?: unknown; version?: number | undefined },
  ) {
    const list = issues.map((issue) => ({ message: issue.message, path: issuePath(issue) }));
    const detail = list.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
    const version = options?.version === undefined ? '' : ` version ${options.version}`;
    super(
      ErrorCode.Validation,
      `Invalid payload for event "${eventType}"${version}: ${detail}. Fix the payload to match the schema registered for "${eventType}"${version}.`,
      options,
    );
    this.eventType = eventType;
    this.issues = list;
  }
}
