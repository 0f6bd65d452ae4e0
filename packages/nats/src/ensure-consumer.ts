import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  JetStreamApiCodes,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { isNotFound, messageOf } from './client-errors.js';
import { NatsErrorCode, NatsTransportError } from './nats-error.js';
import type { ResolvedNatsOptions } from './nats-transport-options.js';

/**
 * @internal The durable pull consumer of a group: created with explicit acks and the options'
 * delivery settings, or checked (its filter must be the group's) and updated to them.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  js: JetStreamClient,
  options: ResolvedNatsOptions,
  group: string,
  filter: string,
): Promise<Consumer> {
  const { stream, maxDeliver, ackWait, maxAckPending, deliverPolicy } = options;
  const settings = {
    max_deliver: maxDeliver,
    ack_wait: nanos(ackWait),
    max_ack_pending: maxAckPending,
  };
  try {
    let info = await jsm.consumers.info(stream, group).catch((error: unknown) => {
      if (isNotFound(error, JetStreamApiCodes.ConsumerNotFound)) return undefined;
      throw error;
    });
    if (info === undefined) {
      info = await jsm.consumers.add(stream, {
        durable_name: group,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: deliverPolicy === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
        filter_subject: filter,
        ...settings,
      });
    } else if ((info.config.filter_subject ?? '') !== filter) {
      throw new NatsTransportError(
        NatsErrorCode.Consumer,
        `Group "${group}" already reads "${info.config.filter_subject ?? '>'}" on stream "${stream}", not "${filter}": give the new patterns another group, or delete the consumer to move the group.`,
      );
    } else if (
      info.config.max_deliver !== settings.max_deliver ||
      info.config.ack_wait !== settings.ack_wait ||
      info.config.max_ack_pending !== settings.max_ack_pending
    ) {
      await jsm.consumers.update(stream, group, settings);
    }
    return await js.consumers.get(stream, group);
  } catch (error) {
    if (error instanceof NatsTransportError) throw error;
    throw new NatsTransportError(
      NatsErrorCode.Consumer,
      `Could not set up the consumer of group "${group}" on stream "${stream}": ${messageOf(error)}`,
      { cause: error },
    );
  }
}
