/** Runs a callback after pending I/O: setImmediate in Node, a zero-delay timer elsewhere. */
export function yieldToHost(callback: () => void): void {
  if (typeof globalThis.setImmediate === 'function') globalThis.setImmediate(callback);
  else setTimeout(callback, 0);
}
