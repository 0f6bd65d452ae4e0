/**
 * The stable codes of the errors this package adds, beside core's `ErrorCode`.
 *
 * @example
 * ```ts
 * if (error instanceof GossipError && error.code === RegistryErrorCode.IncompatibleSchema) {
 *   logger.error(error.message);
 * }
 * ```
 */
export const RegistryErrorCode = {
  IncompatibleSchema: 'INCOMPATIBLE_SCHEMA',
  UnrepresentableSchema: 'UNREPRESENTABLE_SCHEMA',
} as const;

/**
 * One of the values of {@link RegistryErrorCode}.
 *
 * @example
 * ```ts
 * const code: RegistryErrorCode = 'INCOMPATIBLE_SCHEMA';
 * ```
 */
export type RegistryErrorCode = (typeof RegistryErrorCode)[keyof typeof RegistryErrorCode];
