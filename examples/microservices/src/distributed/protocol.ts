/**
 * What the launcher and the service processes say to each other, one JSON object per line:
 * commands on a service's stdin, reports on its stdout. Both sides check every line against
 * these schemas, so the protocol is typed across the process boundary as the events are.
 * (The events themselves never pass through here: they go through the broker.)
 */
import { z } from 'zod';

/** The four services, each its own process. */
export const serviceNames = ['user', 'email', 'notification', 'analytics'] as const;
export const serviceName = z.enum(serviceNames);
export type ServiceName = z.infer<typeof serviceName>;

/** The brokers a run can use. */
export const transportNames = ['nats', 'redis'] as const;
export const transportName = z.enum(transportNames);
export type TransportName = z.infer<typeof transportName>;

/** One handler call in a service, as its process saw it. */
export const handledMessage = z.object({
  kind: z.literal('handled'),
  service: serviceName,
  /** The subscription's name, such as `email.welcome`. */
  handler: z.string(),
  type: z.string(),
  eventId: z.string(),
  userId: z.string().optional(),
  /** `remote` for an event that came through the broker. */
  origin: z.string().optional(),
  causationId: z.string().optional(),
  correlationId: z.string().optional(),
  /** How many times this handler has been called with this event id, this one included. */
  delivery: z.number().int().positive(),
  ok: z.boolean(),
  error: z.string().optional(),
  durationMs: z.number(),
});
export type HandledMessage = z.infer<typeof handledMessage>;

/** The bus's shutdown report, reduced to its counts. */
export const shutdownCounts = z.object({
  published: z.number(),
  delivered: z.number(),
  failed: z.number(),
  dropped: z.number(),
  undelivered: z.number(),
  complete: z.boolean(),
});
export type ShutdownCounts = z.infer<typeof shutdownCounts>;

/** What a service holds when it stops, for the launcher's summary. */
export const serviceState = z.discriminatedUnion('service', [
  z.object({
    service: z.literal('user'),
    /** Each account's address: false once known to bounce, null while not known. */
    verified: z.record(z.string(), z.boolean().nullable()),
  }),
  z.object({ service: z.literal('email') }),
  z.object({ service: z.literal('notification') }),
  z.object({
    service: z.literal('analytics'),
    counts: z.record(z.string(), z.number()),
    deliveries: z.array(
      z.object({
        userId: z.string(),
        outcome: z.enum(['sent', 'bounced']),
        causationId: z.string().nullable(),
      }),
    ),
    /** The account event's id, by user. */
    signups: z.record(z.string(), z.string()),
  }),
]);
export type ServiceState = z.infer<typeof serviceState>;

/** A line a service process writes on its stdout. */
export const serviceMessage = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ready'),
    service: serviceName,
    pid: z.number(),
    transport: transportName,
    group: z.string(),
    publish: z.array(z.string()),
    subscribe: z.array(z.string()),
  }),
  handledMessage,
  z.object({ kind: z.literal('note'), service: serviceName, message: z.string() }),
  z.object({
    kind: z.literal('signed-up'),
    service: serviceName,
    name: z.string(),
    userId: z.string(),
  }),
  /** A failure reported through the bus's or the transport's `onError`. */
  z.object({
    kind: z.literal('error'),
    service: serviceName,
    code: z.string(),
    message: z.string(),
  }),
  z.object({
    kind: z.literal('stopped'),
    service: serviceName,
    report: shutdownCounts,
    state: serviceState,
  }),
  /** The process cannot go on (it could not connect, say); it exits with code 1. */
  z.object({ kind: z.literal('fatal'), service: serviceName, message: z.string() }),
]);
export type ServiceMessage = z.infer<typeof serviceMessage>;

/** A line the launcher writes on a service's stdin. */
export const command = z.discriminatedUnion('command', [
  z.object({ command: z.literal('sign-up'), name: z.string(), email: z.email() }),
]);
export type Command = z.infer<typeof command>;

/**
 * Reads one line of the protocol: the message, or undefined for a line that is not one (a
 * stray log line, say), which the reader shows as text.
 */
export function parseLine<T>(schema: z.ZodType<T>, line: string): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A dead letter the launcher read from the broker after the run. */
export const deadLetter = z.object({
  type: z.string(),
  eventId: z.string(),
  code: z.string(),
  message: z.string(),
  attempts: z.number(),
});
export type DeadLetter = z.infer<typeof deadLetter>;

/** What the launcher gathered from one service. */
export const serviceSummary = z.object({
  pid: z.number(),
  handled: z.array(handledMessage),
  errors: z.array(z.object({ code: z.string(), message: z.string() })),
  report: shutdownCounts,
  state: serviceState,
  exitCode: z.number().nullable(),
});
export type ServiceSummary = z.infer<typeof serviceSummary>;

/** The launcher's last line with `--json`: everything the run showed, for the tests. */
export const runSummary = z.object({
  kind: z.literal('summary'),
  transport: transportName,
  run: z.string(),
  durationMs: z.number(),
  users: z.array(z.object({ name: z.string(), email: z.string(), userId: z.string() })),
  services: z.record(serviceName, serviceSummary),
  deadLetters: z.array(deadLetter),
});
export type RunSummary = z.infer<typeof runSummary>;
