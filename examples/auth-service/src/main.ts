/** Runs the auth service example and prints its trace: `pnpm start`. */
import { createConsoleLogger } from '@gossip/example-trace';
import { run } from './run.js';

console.log('\n# auth-service: sign-up, sign-ins, a password-guessing attack, a password change');
console.log(
  '# each line: time since start, then event #number -> handler, outcome, time in the handler\n',
);
await run(createConsoleLogger());
