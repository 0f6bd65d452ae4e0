import { describeTransportConformance } from '@gossip/transport/conformance';
import { afterAll, beforeAll } from 'vitest';
import { createNatsTransport } from '../src/index.js';
import { SERVER } from './fixtures.js';
import { canStartServer, type PrivateNatsServer, startNatsServer } from './nats-server.js';

// The shared conformance suite against a real NATS server. It runs on a private nats-server
// (its own port and store, stopped by its own process id) so that the broker-restart case can
// stop and start it without disturbing the shared server; where no server binary is found it
// runs on the shared one, without the restart case.
let server: PrivateNatsServer | undefined;

beforeAll(async () => {
  if (canStartServer) server = await startNatsServer();
}, 20_000);

afterAll(async () => {
  await server?.stop();
}, 20_000);

// Short enough for the dead-consumer case, long enough that a prefetched message is never
// redelivered while it waits for a free handler.
const ACK_WAIT = 3000;

describeTransportConformance('nats', {
  create: ({ namespace }) =>
    createNatsTransport({
      servers: server?.url ?? SERVER,
      stream: namespace,
      subjectPrefix: namespace,
      ackWait: ACK_WAIT,
      publishTimeout: 2000,
    }),
  capabilities: { persistent: true, deduplication: true, nativeRedelivery: true, ordering: true },
  ...(canStartServer ? { restart: () => (server as PrivateNatsServer).restart() } : {}),
  messages: 10_000,
  redeliveryTimeout: ACK_WAIT,
  timeout: 20_000,
});
