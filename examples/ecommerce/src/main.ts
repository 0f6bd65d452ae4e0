/** Runs the e-commerce example and prints its trace: `pnpm start`. */
import { createConsoleLogger } from '@gossip/example-trace';
import { run } from './run.js';

console.log('\n# ecommerce: a burst of orders, express first, through stock, payment and shipping');
console.log(
  '# each line: time since start, then event #number -> handler, outcome, time in the handler\n',
);
await run(createConsoleLogger());
