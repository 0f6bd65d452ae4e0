import base from '../../tsup.base.js';

// Two entries: the package, and `@gossip/transport/conformance`, the suite transports run in
// their tests (it imports vitest, an optional peer dependency, so it stays out of the main one).
export default { ...base, entry: ['src/index.ts', 'src/conformance.ts'] };
