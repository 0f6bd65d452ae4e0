import { assertFunction, patternError } from './assert.js';
import type { BusCore } from './bus-core.js';
import { checkSubscribeOptions } from './bus-options.js';
import { compose } from './compose.js';
import { disposeSymbol } from './dispose-symbols.js';
import { BusClosedError, InvalidOptionError, UnmatchedPatternError } from './errors.js';
import type { Handler, Middleware, SubscribeOptions, Unsubscribe } from './handler.js';
import { noop } from './noop.js';
import { onAbort } from './on-abort.js';
import { compilePattern, isWildcard } from './pattern-matcher.js';
import type { SchemaRegistry } from './schema-registry.js';
import { Subscription } from './subscription.js';

/** `subscribe` and `use`: adds subscriptions to the routes, and middleware around all of them. */
export class Subscriber {
  readonly #core: BusCore;

  constructor(core: BusCore) {
    this.#core = core;
  }

  /**
   * Subscribes a handler to one pattern, or to each of several with one unsubscribe. `fn`
   * names the caller (subscribe, once, stream) in errors.
   */
  subscribe(
    patterns: string | readonly string[],
    handler: Handler,
    options: SubscribeOptions = {},
    fn = 'subscribe',
    cleared: () => void = noop,
  ): Unsubscribe {
    if (typeof patterns === 'string' || !isArray(patterns)) {
      return this.#subscribe(patterns as string, handler, options, fn, cleared);
    }
    if (fn === 'stream') {
      throw new InvalidOptionError(
        'stream(pattern)',
        'one pattern (a wildcard, or one stream per pattern)',
        patterns,
      );
    }
    if (patterns.length === 0) {
      throw new InvalidOptionError(`${fn}(patterns)`, 'a non-empty array of patterns', patterns);
    }
    // Every pattern checked before any is subscribed, each once (['a', 'a'] is 'a'), and read
    // one at a time: a sparse array of 2^32 - 1 is refused at its first hole.
    const unique = new Set<string>();
    for (let i = 0; i < patterns.length; i++) {
      const pattern: unknown = patterns[i];
      if (unique.has(pattern as string)) continue;
      const problem = this.#checkPattern(pattern, fn);
      if (problem !== undefined) throw problem;
      unique.add(pattern as string);
    }
    assertFunction(`${fn}(handler)`, handler);
    const offs: Unsubscribe[] = [];
    try {
      for (const pattern of unique) {
        offs.push(this.#subscribe(pattern, handler, options, fn, cleared));
      }
    } catch (error) {
      for (const off of offs) off();
      throw error;
    }
    const unsubscribe = (() => {
      for (const off of offs) off();
    }) as Unsubscribe;
    unsubscribe[disposeSymbol()] = unsubscribe;
    return unsubscribe;
  }

  #subscribe(
    pattern: string,
    handler: Handler,
    options: SubscribeOptions,
    fn: string,
    cleared: () => void,
  ): Unsubscribe {
    const core = this.#core;
    const invalid = this.#checkPattern(pattern, fn);
    if (invalid instanceof InvalidOptionError) throw invalid;
    assertFunction(`${fn}(handler)`, handler);
    if (core.life.closed) throw new BusClosedError(pattern, 'subscribe to');
    const checked = checkSubscribeOptions(options, fn);
    if (invalid !== undefined) throw invalid;
    const sub = new Subscription(pattern, handler, checked);
    sub.cleared = cleared;
    sub.effective = compose(core.middleware, sub.inner);
    const signal = checked.signal;
    let forget = noop;
    const unsubscribe = (() => {
      if (!sub.active) return;
      sub.active = false;
      const count = core.router.remove(sub);
      forget();
      core.lifecycle.emit('unsubscribe', { pattern, name: sub.name, count });
    }) as Unsubscribe;
    unsubscribe[disposeSymbol()] = unsubscribe;
    if (signal?.aborted) {
      sub.active = false;
      return unsubscribe;
    }
    // One listener per signal, however many subscriptions share it.
    if (signal !== undefined) forget = onAbort(signal, unsubscribe);
    sub.end = unsubscribe;
    const count = core.router.add(sub);
    core.lifecycle.emit('subscribe', { pattern, name: sub.name, count });
    return unsubscribe;
  }

  /**
   * Ends every subscription (no pattern), or those made with exactly this pattern, as their
   * unsubscribe functions would; returns how many.
   */
  clear(pattern?: string): number {
    const invalid = pattern === undefined ? undefined : patternError('clear', pattern);
    if (invalid !== undefined) throw invalid;
    const removed = this.#core.router
      .subscriptions()
      .filter((sub) => pattern === undefined || sub.pattern === pattern);
    for (const sub of removed) {
      sub.end();
      sub.cleared();
    }
    return removed.length;
  }

  use(middleware: Middleware): void {
    const core = this.#core;
    assertFunction('use(middleware)', middleware);
    const next = [...core.middleware, middleware];
    const subscriptions = core.router.subscriptions();
    // Wrap everything first, so a middleware that throws while wrapping changes nothing.
    const wrapped = subscriptions.map((sub) => compose(next, sub.inner));
    core.middleware = next;
    subscriptions.forEach((sub, i) => {
      sub.effective = wrapped[i] as Handler;
    });
  }

  /**
   * What is wrong with a pattern, or undefined: an InvalidOptionError for one that is not a
   * valid pattern, an UnmatchedPatternError for one that matches no event type of the registry.
   */
  #checkPattern(
    pattern: unknown,
    fn: string,
  ): InvalidOptionError | UnmatchedPatternError | undefined {
    const invalid = patternError(fn, pattern);
    if (invalid !== undefined) return invalid;
    const registry = this.#core.settings.registry;
    if (registry !== undefined && !matchesSome(pattern as string, registry)) {
      return new UnmatchedPatternError(pattern as string);
    }
    return undefined;
  }
}

function matchesSome(pattern: string, registry: SchemaRegistry<object>): boolean {
  return isWildcard(pattern)
    ? registry.types().some(compilePattern(pattern))
    : registry.has(pattern);
}

/** Array.isArray that never throws (it does on a revoked Proxy, which is then no array). */
function isArray(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}
