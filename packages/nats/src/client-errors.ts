import { JetStreamApiError } from '@nats-io/jetstream';

/** @internal A NATS client error's message, for the text of a NatsTransportError. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** @internal True for the JetStream API's "not found" of the given code. */
export const isNotFound = (error: unknown, code: number): boolean =>
  error instanceof JetStreamApiError && error.code === code;
