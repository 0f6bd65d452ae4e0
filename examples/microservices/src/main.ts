/** Runs the microservices example and prints its trace: `pnpm start`. */
import { createConsoleLogger } from '@gossip/example-trace';
import { run } from './run.js';

console.log('\n# microservices: user, email, notification and analytics services on one bus');
console.log(
  '# each line: time since start, then event #number -> handler, outcome, time in the handler\n',
);
await run(createConsoleLogger());
