export { CliError } from './cli-error.js';
export { type LoadedCatalogue, loadCatalogue } from './load-catalogue.js';
export { type CliIO, run } from './run.js';
