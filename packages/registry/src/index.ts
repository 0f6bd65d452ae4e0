/**
 * Schema compatibility checks for gossip events (Confluent's modes on JSON Schema) and catalogue
 * export to JSON Schema documents and AsyncAPI 3.
 *
 * The guide: docs/schema-registry.md in the repository.
 *
 * @packageDocumentation
 */
export { assertCompatible } from './assert-compatible.js';
export { canRead } from './can-read.js';
export type { Catalogue, CatalogueEvent, CatalogueVersion } from './catalogue.js';
export { type CatalogueOptions, catalogueOf } from './catalogue-of.js';
export { check } from './check.js';
export {
  type CompatibilityReport,
  type CompatibilityStatus,
  checkCompatibility,
  type VersionLabels,
} from './check-compatibility.js';
export { checkVersions, type SchemaVersion } from './check-versions.js';
export {
  type CatalogueBreak,
  type CatalogueBreakKind,
  compareCatalogues,
} from './compare-catalogues.js';
export {
  type CompatibilityPolicy,
  type CompatibilitySettings,
  compatibility,
} from './compatibility.js';
export { CompatibilityMode, type Direction } from './compatibility-mode.js';
export { RegistryErrorCode } from './error-code.js';
export { IncompatibleSchemaError } from './incompatible-schema-error.js';
export type {
  JSONSchema,
  JSONSchemaObject,
  SchemaInput,
  StandardJSONSchemaOptions,
  StandardSchemaLike,
} from './json-schema.js';
export type { ReadProblem, ReadProblemKind } from './read-problem.js';
export type { RegistryView } from './registry-view.js';
export type { SchemaChange, SchemaDifference } from './schema-difference.js';
export {
  type AsyncAPIDocument,
  type AsyncAPIOptions,
  type AsyncAPIServer,
  toAsyncAPI,
} from './to-async-api.js';
export {
  type EventSchemaDocument,
  eventSchemaId,
  toJSONSchema,
  toJSONSchemaDocuments,
} from './to-json-schema-documents.js';
export { UnrepresentableSchemaError } from './unrepresentable-schema-error.js';
