import { assertFunction } from './assert.js';
import type { BusCore } from './bus-core.js';
import { checkSubscribeOptions } from './bus-options.js';
import { compose } from './compose.js';
import { disposeSymbol } from './dispose-symbols.js';
import { BusClosedError, InvalidOptionError, UnmatchedPatternError } from './errors.js';
import type { Handler, Middleware, SubscribeOptions, Unsubscribe } from './handler.js';
import { noop } from './noop.js';
import { onAbort } from './on-abort.js';
import { compilePattern, isWildcard, patternProblem } from './pattern-matcher.js';
import type { SchemaRegistry } from './schema-registry.js';
import { Subscription } from './subscription.js';

/** `subscribe` and `use`: adds subscriptions to the routes, and middleware around all of them. */
export class Subscriber {
  readonly #core: BusCore;

  constructor(core: BusCore) {
    this.#core = core;
  }

  subscribe(pattern: string, handler: Handler, options: SubscribeOptions = {}): Unsubscribe {
    const core = this.#core;
    const problem = typeof pattern === 'string' ? patternProblem(pattern) : 'it is not a string';
    if (problem !== undefined) {
      throw new InvalidOptionError('pattern', `a valid pattern (${problem})`, pattern);
    }
    assertFunction('handler', handler);
    if (core.life.closed) throw new BusClosedError(pattern, 'subscribe to');
    const checked = checkSubscribeOptions(options);
    const registry = core.settings.registry;
    if (registry !== undefined) checkMatches(pattern, registry);
    const sub = new Subscription(pattern, handler, checked);
    sub.effective = compose(core.middleware, sub.inner);
    const signal = checked.signal;
    let forget = noop;
    const unsubscribe = (() => {
      if (!sub.active) return;
      sub.active = false;
      core.router.remove(sub);
      forget();
    }) as Unsubscribe;
    unsubscribe[disposeSymbol()] = unsubscribe;
    if (signal?.aborted) {
      sub.active = false;
      return unsubscribe;
    }
    // One listener per signal, however many subscriptions share it.
    if (signal !== undefined) forget = onAbort(signal, unsubscribe);
    core.router.add(sub);
    return unsubscribe;
  }

  use(middleware: Middleware): void {
    const core = this.#core;
    assertFunction('middleware', middleware);
    const next = [...core.middleware, middleware];
    const subscriptions = core.router.subscriptions();
    // Wrap everything first, so a middleware that throws while wrapping changes nothing.
    const wrapped = subscriptions.map((sub) => compose(next, sub.inner));
    core.middleware = next;
    subscriptions.forEach((sub, i) => {
      sub.effective = wrapped[i] as Handler;
    });
  }
}

/** Refuses a pattern that matches no event type of the registry. */
function checkMatches(pattern: string, registry: SchemaRegistry<object>): void {
  const matches = isWildcard(pattern)
    ? registry.types().some(compilePattern(pattern))
    : registry.has(pattern);
  if (!matches) throw new UnmatchedPatternError(pattern);
}
