// Validates the AsyncAPI document on stdin with @asyncapi/parser and prints its diagnostics as
// JSON. Run in a child process: inside vitest, the workspace's `module` resolve condition picks
// an ESM build of one of the parser's dependencies that does not link.
import { Parser } from '@asyncapi/parser';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { document, diagnostics } = await new Parser().parse(input);
process.stdout.write(
  JSON.stringify({
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity,
      path: d.path.join('/'),
      message: d.message,
    })),
    channels:
      document
        ?.channels()
        .all()
        .map((c) => c.address()) ?? [],
    operations:
      document
        ?.operations()
        .all()
        .map((o) => `${o.id()} ${o.action()} ${o.messages().all().length}`) ?? [],
  }),
);
