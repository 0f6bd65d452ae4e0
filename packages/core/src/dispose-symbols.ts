/**
 * `Symbol.dispose` and `Symbol.asyncDispose`, or the registered symbols that polyfills use on
 * hosts without them. Read when needed, not at import, so that importing core runs no code.
 */
export function disposeSymbol(): typeof Symbol.dispose {
  return Symbol.dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);
}

/** See {@link disposeSymbol}. */
export function asyncDisposeSymbol(): typeof Symbol.asyncDispose {
  return Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);
}
