import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type UnknownEventError, ValidationError } from './errors.js';

/**
 * The outcome of validating a payload: the validated value (with the schema's defaults and
 * transforms applied), or the error that says what is wrong.
 *
 * @example
 * ```ts
 * const result = registry.validateSync('user.created', input);
 * if (result.success) use(result.data); else logger.error(result.error.issues);
 * ```
 */
export type ValidationResult<TData = unknown> =
  | { readonly success: true; readonly data: TData }
  | { readonly success: false; readonly error: ValidationError | UnknownEventError };

/**
 * The result of a schema's synchronous answer: its value, or a ValidationError with its issues.
 *
 * @internal
 */
export function toResult<TData>(
  type: string,
  result: StandardSchemaV1.Result<unknown>,
): ValidationResult<TData> {
  if (result.issues !== undefined) {
    return { success: false, error: new ValidationError(type, result.issues) };
  }
  return { success: true, data: result.value as TData };
}
