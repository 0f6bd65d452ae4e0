// Validates the AsyncAPI documents on stdin with @asyncapi/parser and prints its diagnostics as
// JSON. Run in a child process: inside vitest, the workspace's `module` resolve condition picks
// an ESM build of one of the parser's dependencies that does not link.
import { Parser } from '@asyncapi/parser';

// Several documents in one run (a JSON array on stdin, an array of results out): the parser
// takes seconds to load, once per process.
let input = '';
for await (const chunk of process.stdin) input += chunk;
const parser = new Parser();
const results = [];
for (const source of JSON.parse(input)) {
  const { document, diagnostics } = await parser.parse(JSON.stringify(source));
  results.push({
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
  });
}
process.stdout.write(JSON.stringify(results));
