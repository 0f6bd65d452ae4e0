import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { compareCatalogues, toAsyncAPI, toJSONSchemaDocuments } from '@gossip/registry';
import { Command, CommanderError } from 'commander';
import { stringify } from 'yaml';
import { CliError } from './cli-error.js';
import { formatCatalogue } from './format-catalogue.js';
import { loadCatalogue } from './load-catalogue.js';

/**
 * Where `gossip` writes and which directory its paths are relative to; the process's own by
 * default, replaced in tests and by programs that run it in-process.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const io: CliIO = { stdout: (text) => lines.push(text), stderr: (text) => lines.push(text), cwd: '.' };
 * ```
 */
export interface CliIO {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** The directory paths are relative to. */
  readonly cwd: string;
}

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

interface CatalogOptions {
  readonly asyncapi?: string;
  readonly jsonSchema?: string;
  readonly title?: string;
  readonly apiVersion: string;
}

function write(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError(
      `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function program(io: CliIO, setCode: (code: number) => void): Command {
  const gossip = new Command('gossip')
    .description("gossip's event catalogue: print it, export it, check a change against it")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  gossip
    .command('catalog')
    .description(
      'print the catalogue of a module that exports a registry or an event map (event, versions, compatibility mode, fields)',
    )
    .argument('<module>', 'a .ts, .js or .mjs module')
    .option(
      '--asyncapi <file>',
      'write the AsyncAPI 3.0 document (YAML; JSON if the name ends in .json)',
    )
    .option('--json-schema <dir>', 'write one JSON Schema document per event type and version')
    .option('--title <title>', "the AsyncAPI document's title (default: the module's name)")
    .option('--api-version <version>', "the AsyncAPI document's version", '1.0.0')
    .action(async (file: string, options: CatalogOptions) => {
      const { catalogue } = await loadCatalogue(file, io.cwd);
      io.stdout(formatCatalogue(catalogue));
      if (options.asyncapi !== undefined) {
        const path = resolve(io.cwd, options.asyncapi);
        const title = options.title ?? basename(file, extname(file));
        const document = toAsyncAPI(catalogue, { title, version: options.apiVersion });
        const text =
          extname(path) === '.json'
            ? `${JSON.stringify(document, null, 2)}\n`
            : stringify(document);
        write(path, text);
        io.stdout(`wrote ${options.asyncapi}\n`);
      }
      if (options.jsonSchema !== undefined) {
        const dir = resolve(io.cwd, options.jsonSchema);
        const documents = toJSONSchemaDocuments(catalogue);
        for (const { eventType, version, document } of documents) {
          write(
            join(dir, `${eventType}.v${version}.json`),
            `${JSON.stringify(document, null, 2)}\n`,
          );
        }
        io.stdout(`wrote ${documents.length} JSON Schema documents to ${options.jsonSchema}\n`);
      }
    });

  gossip
    .command('check')
    .description(
      'exit 1 if the new module breaks the old one under its compatibility modes (for CI), 0 if not',
    )
    .argument('<old-module>', 'the module as it is (the main branch)')
    .argument('<new-module>', 'the module as changed (the pull request)')
    .action(async (before: string, after: string) => {
      const old = await loadCatalogue(before, io.cwd);
      const next = await loadCatalogue(after, io.cwd);
      const breaks = compareCatalogues(old.catalogue, next.catalogue);
      if (breaks.length === 0) {
        io.stdout(
          `${next.file} keeps the ${old.catalogue.events.length} event types of ${old.file} compatible.\n`,
        );
        return;
      }
      for (const found of breaks) io.stderr(`${found.message}\n`);
      io.stderr(
        `${breaks.length} breaking change${breaks.length === 1 ? '' : 's'}: ${next.file} breaks consumers or producers of ${old.file}.\n`,
      );
      setCode(1);
    });
  return gossip;
}

/**
 * Runs the `gossip` command line: `gossip catalog <module> [--asyncapi file] [--json-schema dir]`
 * and `gossip check <old-module> <new-module>`.
 *
 * @param argv - the arguments after the program's name
 * @param io - where to write, and the working directory
 * @default io the process's
 * @returns the exit code: 0 on success, 1 when `check` finds a breaking change, 2 when a
 *   module cannot be loaded or the arguments are wrong
 *
 * @example
 * ```ts
 * process.exitCode = await run(['check', 'main/events.ts', 'src/events.ts']);
 * ```
 */
export async function run(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let code = 0;
  try {
    await program(io, (next) => {
      code = next;
    }).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; a usage error is told apart from a breaking change.
      return error.exitCode === 0 ? 0 : 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`gossip: ${message}\n`);
    return error instanceof CliError ? error.exitCode : 2;
  }
}
