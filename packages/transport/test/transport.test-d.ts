import { describe, expectTypeOf, it } from 'vitest';
import {
  type AttemptOf,
  type Codec,
  createMemoryTransport,
  type DeadLetterReason,
  deliverMessage,
  type Envelope,
  MessageLanes,
  type PublishFailure,
  type Settler,
  type Transport,
  type TransportCapabilities,
  TransportError,
  TransportErrorCode,
  type TransportMessage,
  type TransportSubscription,
} from '../src/index.js';

const transport = createMemoryTransport();

describe('the Transport interface', () => {
  it('is what a broker package implements', () => {
    expectTypeOf(transport).toExtend<Transport>();
    expectTypeOf<Transport['publish']>().toEqualTypeOf<(envelope: Envelope) => Promise<void>>();
    expectTypeOf<Transport['deadLetter']>().toEqualTypeOf<
      (envelope: Envelope, reason: DeadLetterReason) => Promise<void>
    >();
    expectTypeOf<ReturnType<Transport['subscribe']>>().toEqualTypeOf<
      Promise<TransportSubscription>
    >();
    expectTypeOf<Transport['publishBatch']>().toEqualTypeOf<
      ((envelopes: readonly Envelope[]) => Promise<readonly PublishFailure[]>) | undefined
    >();
    expectTypeOf<PublishFailure>().toEqualTypeOf<{
      readonly index: number;
      readonly error: unknown;
    }>();
    expectTypeOf<TransportCapabilities>().toEqualTypeOf<{
      readonly persistent: boolean;
      readonly deduplication: boolean;
      readonly nativeRedelivery: boolean;
      readonly ordering: boolean;
    }>();
  });

  it('refuses an object that lacks a member, and a capability left out', () => {
    // @ts-expect-error no deadLetter
    const partial: Transport = {
      name: 'half',
      capabilities: transport.capabilities,
      publish: async () => undefined,
      subscribe: async () => ({ close: async () => undefined }),
      close: async () => undefined,
    };
    void partial;
    const batching: Transport = {
      ...transport,
      publishBatch: async () => [{ index: 0, error: new Error('full') }],
    };
    void batching;
    const wrongBatch: Transport = {
      ...transport,
      // @ts-expect-error publishBatch resolves with the failures, not with nothing
      publishBatch: async () => undefined,
    };
    void wrongBatch;
    // @ts-expect-error every capability is said, true or false
    const capabilities: TransportCapabilities = { persistent: true, deduplication: false };
    void capabilities;
  });

  it('hands messages settled by ack, nack with an optional delay, and term', () => {
    expectTypeOf<TransportMessage['nack']>().toEqualTypeOf<(delayMs?: number) => Promise<void>>();
    expectTypeOf<TransportMessage['attempt']>().toEqualTypeOf<number>();
    expectTypeOf<Envelope['headers']>().toEqualTypeOf<Readonly<Record<string, string>>>();
    expectTypeOf<Envelope['payload']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<Codec['decode']>().returns.toEqualTypeOf<unknown>();
  });

  it('reports failures as TransportErrors whose code is one of TransportErrorCode', () => {
    const error = new TransportError(TransportErrorCode.PublishFailed, 'nats', undefined, 'x');
    expectTypeOf(error.code).toEqualTypeOf<TransportErrorCode>();
    // @ts-expect-error a code outside the table
    new TransportError('TRANSPORT_ON_FIRE', 'nats', undefined, 'x');
  });

  it('keeps an envelope read-only', () => {
    const envelope = {} as Envelope;
    // @ts-expect-error the id of an envelope does not change
    envelope.id = 'other';
  });
});

describe('the helpers for transport authors', () => {
  it('deliver a broker message through its Settler, typed by the broker message', () => {
    interface BrokerMessage {
      readonly seq: number;
    }
    const settler: Settler<BrokerMessage> = {
      ack: (message) => {
        expectTypeOf(message).toEqualTypeOf<BrokerMessage>();
      },
      nack: (_message, delayMs) => {
        expectTypeOf(delayMs).toEqualTypeOf<number>();
      },
      term: () => undefined,
    };
    const envelope = {} as Envelope;
    expectTypeOf(
      deliverMessage(async () => undefined, settler, { seq: 1 }, envelope, 1),
    ).toEqualTypeOf<Promise<void>>();
    // @ts-expect-error the message given is not the settler's kind
    void deliverMessage(async () => undefined, settler, { id: 'x' }, envelope, 1);
  });

  it('take the attempt as a number or as a function that works it out', () => {
    const settler: Settler<string> = { ack: () => {}, nack: () => {}, term: () => {} };
    const envelope = {} as Envelope;
    expectTypeOf<AttemptOf>().toEqualTypeOf<number | (() => number)>();
    void deliverMessage(
      async () => undefined,
      settler,
      'm',
      envelope,
      () => 3,
    );
    void deliverMessage(
      async (message) => {
        expectTypeOf(message.attempt).toEqualTypeOf<number>();
      },
      settler,
      'm',
      envelope,
      2,
    );
    // @ts-expect-error an attempt is a number, not its text
    void deliverMessage(async () => undefined, settler, 'm', envelope, '2');
    const textual = () => '2';
    // @ts-expect-error a function that works the attempt out returns a number
    void deliverMessage(async () => undefined, settler, 'm', envelope, textual);
  });

  it('run lanes of one item type', () => {
    const lanes = new MessageLanes<number>(async (item) => {
      expectTypeOf(item).toEqualTypeOf<number>();
    });
    lanes.push('key', 1);
    // @ts-expect-error an item of another type
    lanes.push('key', 'one');
    expectTypeOf(lanes.clear()).toEqualTypeOf<number[]>();
  });
});
