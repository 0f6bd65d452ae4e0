/**
 * Lets the host exit while the timer is pending, where the host can (Node's and Bun's timers
 * have `unref`; a browser's are numbers and never hold a page open). For timers that only
 * guard other work, such as a deadline: the work, not its guard, should keep a process alive.
 *
 * @internal
 */
export function unref(timer: ReturnType<typeof setTimeout>): void {
  const handle: unknown = timer;
  if (typeof handle === 'object' && handle !== null && 'unref' in handle) {
    const { unref: method } = handle;
    if (typeof method === 'function') method.call(handle);
  }
}
