/**
 * The gossip command line: print an application's event catalogue, export it as AsyncAPI 3 and
 * JSON Schema, and check in CI that a change keeps its events compatible.
 *
 * The guide: docs/schema-registry.md in the repository.
 *
 * @packageDocumentation
 */
export { CliError } from './cli-error.js';
export { type LoadedCatalogue, loadCatalogue } from './load-catalogue.js';
export { type CliIO, run } from './run.js';
