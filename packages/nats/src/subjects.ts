import { InvalidOptionError, optionName } from '@gossip/core';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * Checks a subject prefix (`gossip`, `app.events`): dot-separated tokens of letters, digits,
 * `_` and `-`, so that `<prefix>.>` and `<prefix>-dlq.>` are valid subjects that never overlap.
 *
 * @internal
 * @param prefix - the prefix to check
 * @returns the prefix
 * @example
 * ```ts
 * checkPrefix('gossip'); // 'gossip'
 * ```
 */
export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || !prefix.split('.').every((token) => TOKEN.test(token))) {
    throw new InvalidOptionError(
      optionName('createNatsTransport', 'subjectPrefix'),
      'dot-separated tokens of letters, digits, "_" and "-"',
      prefix,
    );
  }
  return prefix;
}

/**
 * Checks a consumer group's name, which becomes the durable consumer's name: letters, digits,
 * `_` and `-` (NATS refuses `.`, `*`, `>` and whitespace in a durable name). A name that does not
 * fit is refused rather than rewritten, so that two groups never share one consumer.
 *
 * @internal
 * @param group - the group name
 * @returns the group name
 * @example
 * ```ts
 * checkGroup('billing'); // 'billing'
 * ```
 */
export function checkGroup(group: unknown): string {
  if (typeof group !== 'string' || !TOKEN.test(group)) {
    throw new InvalidOptionError('group', 'letters, digits, "_" and "-"', group);
  }
  return group;
}

/**
 * Maps a gossip pattern to a NATS subject under the prefix: each segment is a token, `*` stays
 * `*`, a trailing `**` becomes `>` (both match one or more segments).
 *
 * @internal
 * @param prefix - the subject prefix
 * @param pattern - a gossip pattern or event type
 * @returns the NATS subject
 * @example
 * ```ts
 * patternToSubject('gossip', 'order.**'); // 'gossip.order.>'
 * patternToSubject('gossip', 'order.placed'); // 'gossip.order.placed'
 * ```
 */
export function patternToSubject(prefix: string, pattern: string): string {
  const segments = pattern.split('.');
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '*' || (segment === '**' && last) || TOKEN.test(segment)) return;
    throw new InvalidOptionError(
      'patterns',
      'segments of letters, digits, "_" and "-", "*", or "**" last',
      pattern,
    );
  });
  return `${prefix}.${segments.map((segment) => (segment === '**' ? '>' : segment)).join('.')}`;
}

/**
 * The one filter subject a group's consumer gets for several patterns. NATS 2.9 takes a single
 * `filter_subject` (`filter_subjects` needs 2.10), and one consumer per pattern would deliver an
 * event twice to a group whose patterns overlap. So one pattern is its own filter; several share
 * the longest run of leading literal tokens followed by `>`, and the subscription drops (acks)
 * what matches none of its patterns.
 *
 * @internal
 * @param prefix - the subject prefix
 * @param patterns - the group's gossip patterns, at least one
 * @returns the consumer's filter subject
 * @example
 * ```ts
 * filterSubject('gossip', ['order.placed']); // 'gossip.order.placed'
 * filterSubject('gossip', ['order.placed', 'order.paid']); // 'gossip.order.>'
 * filterSubject('gossip', ['order.*', 'user.*']); // 'gossip.>'
 * ```
 */
export function filterSubject(prefix: string, patterns: readonly string[]): string {
  const subjects = patterns.map((pattern) => patternToSubject(prefix, pattern));
  const [first, ...rest] = subjects;
  if (first === undefined) {
    throw new InvalidOptionError('patterns', 'at least one pattern', patterns);
  }
  if (rest.every((subject) => subject === first)) return first;
  const split = subjects.map((subject) => subject.split('.'));
  const common: string[] = [];
  for (const [index, token] of (split[0] ?? []).entries()) {
    const literal = token !== '*' && token !== '>';
    if (
      !literal ||
      !split.every((tokens) => tokens[index] === token && index < tokens.length - 1)
    ) {
      break;
    }
    common.push(token);
  }
  return `${common.join('.')}.>`;
}
