import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildIfStale, isStale } from './fresh-build.js';
import { benchDir, rootDir } from './paths.js';

/**
 * The size budget of @gossip/core: its whole entry, minified and gzipped, in bytes; the limit
 * issue 13 sets (bench/test/targets.test.ts holds it there).
 */
export const CORE_BUDGET = 7000;
/**
 * A ratchet CI holds @gossip/core to while it is over CORE_BUDGET: its size when the ceiling
 * was first set (9,970 B on 2026-11-27) plus 5 %, raised once, on 2026-11-29, from 10,500 B
 * to 10,700 B for publishSync's one-handler path (`SoloRun`, about 200 B: issue 3's 1.25x
 * target), and on 2026-12-01 to 11,300 B for issue 13's promise under hostile input: the one
 * delivery path in modules of their own, event ids as RFC 9562 UUIDv7 (about 390 B), errors
 * that never throw while built and input read once (about 430 B), less eventemitter3 (about
 * 1,000 B); then to 11,800 B the same day for `Fifo` and `onAbort`, moved into core from the
 * two copies middleware and batch each kept (about 400 B here, more saved there), and the
 * gates of blocked publishers; then to 12,700 B for issue 15's schema versions and upcasters
 * (about 900 B: versions per type, the version stamped on each event, upcasting on receipt,
 * UpcastError); then to 13,900 B for issue 14's section 1 (about 1,280 B):
 * listenerCount, hasSubscribers, subscriptions(), clear(), subscribing to several patterns, the
 * subscribe and unsubscribe lifecycle events, `await using`, idle(), failures printed when
 * nobody listens, and messages that name a misspelt option with the closest known one. The
 * dispatcher's one `publish` per event shared by its handlers (about 30 B) was paid for by
 * issue 14's single table of option checks. Issue 16's receive path (one metadata copy, no
 * promise for an event of the latest version, no async function: 1,838 to about 960 ns and
 * 3.4 to 2.6 KB of garbage per received event) fits under it, paid for by folded constants and
 * by the modules split out of errors.ts, schema-registry.ts and dispatcher.ts, which gzip
 * smaller. Then to 13,950 B on 2026-12-02 for issue 16's receive path again (about 50 B):
 * metadata read into one flat array of keys and values instead of `Object.entries`' array per
 * key, 1.05 to 0.87 µs per received event with a zod schema, the path of every message a
 * bridge consumes. Then to 13,980 B later that day for publish with a schema validated in line
 * (about 30 B): no closure per validated publish, 1.25 to 1.14-1.16x of publish without a
 * schema plus safeParse (issue 13's 1.15x target). Then to 14,590 B on 2026-12-02 (core
 * 14,588 B, about 610 B more) for publishers blocked for room kept as parts in their gate's
 * arrays, with no object of their own and their event made as they get room (blocked-line.ts),
 * per-key order in a module of its own, and the check for a crowded buffer: a million unawaited
 * publishes went from 1.2-1.7 µs to about 0.36 µs per event (issue 13's fire-and-forget
 * targets). Then to 14,700 B on 2026-12-02 (core 14,696 B, about 110 B more) for publishSync
 * runs that keep the deliveries they wait on, chained through the deliveries themselves,
 * instead of the delivery path's list, which lasts as long as the bus: publishSync to 1 and
 * to 10 async handlers 1.42 to 1.34x and 1.57 to 1.48x of the Promise.all reference (issue
 * 13's 1.25x targets). Then to 14,730 B (core 14,725 B, 29 B more) for the registry's cache
 * of the type it looked up last: a validated publish looks its type up once, not twice (about
 * 4 % of publish with a zod schema, issue 13's 1.15x target). Then to 14,760 B (core 14,753 B,
 * 28 B more) for a publishSync that never settled when one of its own handlers aborted the
 * run's signal while it ran: that delivery now fails with the abort's reason like the others.
 * Then to 14,830 B (core 14,829 B, 76 B more) for a compatibility check that registers a
 * version of the type it checks: refused with InvalidOptionError, where the registry ended
 * with two versions of one number. Then to 14,950 B (core 14,942 B, 113 B more) for a stream
 * whose waiting delivery keeps its event outside the stream and withdraws it when its signal
 * aborts (the consumer read events the bus had reported undelivered or failed), and `once`
 * refusing bad options through its promise. Then to 15,110 B for user code inside a publish
 * (filters, `publish` observers, onError): the bus counts the publish as under way while it
 * runs, so a shutdown started from it waits for the event, and
 * observers see an event once it is queued, so what they publish neither overtakes it nor takes
 * its room; options read once wherever core takes them (the values read are the values used);
 * and an event a handler publishes joining the line of publishers waiting for room rather than
 * overtaking them (about 165 B in all, core 15,107 B). Then to 15,140 B (core 15,138 B) for
 * publishSync's own path when there is no filter and no observer, which pays none of that:
 * 1.46 to 1.35x of the Promise.all reference with one async handler. Then to 15,150 B (core
 * 15,147 B) for `ctx.publish` from a handler abandoned at the shutdown deadline: its refusal is
 * no unhandled rejection when not awaited. Then to 15,160 B (core 15,154 B) when the three
 * copies of "count the publish as under way around its user code" became one helper
 * (`BusCore.whilePublishing`): 48 B less minified, 7 B more gzipped. Then to 15,230 B (core
 * 15,225 B, 71 B more) for `bus.clear()` ending the `stream`s and `once`s whose subscriptions it
 * ends (a stream finishes after its held events, a once rejects with an AbortError; both were
 * left pending until shutdown), and `shutdown()` refusing bad options through its promise. Then
 * to 15,290 B (core 15,282 B, 57 B more) for `once` over several patterns (typed as the union
 * of their events, named by all of them in its errors), and `stream` refusing several, which it
 * took untyped and then yielded twice an event two of them matched. Then to 15,300 B (core
 * 15,292 B) for a group of blocked publishers some of whose events got in before the shutdown
 * deadline: it resolves, where refusing it told those publishers that delivered events were not
 * published (a retry would deliver them twice). Then to 15,310 B (core 15,303 B) for an
 * ordering-key function that ends its own subscription: the delivery is no longer made. Then
 * to 15,560 B (core 15,560 B): `assertKnownOptions`, exported for the packages beside core to
 * refuse misspelt options as core does (about 70 B), and a delivery that reaches a `once` or a
 * `stream` after it ended (one running in async middleware when `clear()` came) failing and
 * reported, where it was counted delivered and its event lost; a `once` settled exactly once
 * whatever its cleanup calls back; one cleared while it subscribes; and patterns read one at a
 * time, a huge sparse array refused at its first hole (about 180 B). Then to 15,600 B (core
 * 15,593 B) for a `once` or `stream` whose bus a `subscribe` listener shuts down while it
 * subscribes (it never settled), and `assertKnownOptions` with no known option saying so.
 * Then to 15,630 B (core 15,624 B) for the `AbortError` of a cleared `once` where the host has
 * no `DOMException` (an Error so named): `clear()` threw a ReferenceError there, mid-way. Then
 * to 16,120 B (core 16,113 B, about 490 B) for a user's scheduler guarded (`SchedulerError`,
 * `guardScheduler`, which counts the items it hands the scheduler and checks what it gives
 * back): one that threw in `shift` stalled the bus with an unhandled rejection per drain, one
 * that threw in `push` left a published event neither queued nor reported; now the failure is
 * reported once and the bus goes on first in, first out with what the scheduler gives back,
 * counting what it lost. The default FIFO is not wrapped.
 * Lower it whenever core shrinks; raise it only for a change that says why.
 */
export const CORE_CEILING = 16_120;

/** One bundle's size. */
export interface SizeRow {
  /** The package. */
  readonly library: string;
  /** What was bundled: `dist` (the package as published) or `src` (quick mode, no build). */
  readonly from?: 'dist' | 'src';
  /** Minified bytes. */
  readonly minified: number;
  /** Minified and gzipped bytes. */
  readonly gzipped: number;
  /** Why the size could not be measured. */
  readonly error?: string;
}

const EXTERNAL = ['zod', '@gossip/*', 'node:*', ...builtinModules];

async function measure(
  library: string,
  input: { entry: string } | { contents: string },
): Promise<SizeRow> {
  try {
    const result = await build({
      ...('entry' in input
        ? { entryPoints: [input.entry] }
        : { stdin: { contents: input.contents, resolveDir: benchDir, loader: 'js' as const } }),
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      external: EXTERNAL,
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    return { library, minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
  } catch (error) {
    return { library, minified: 0, gzipped: 0, error: String(error).split('\n')[0] ?? 'failed' };
  }
}

/** The workspace packages (packages/*) with their names and folders. */
export function workspacePackages(): Array<{ name: string; dir: string }> {
  const packagesDir = join(rootDir, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')),
    )
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
      };
      return { name, dir };
    })
    .sort((a, b) =>
      a.name === '@gossip/core' ? -1 : b.name === '@gossip/core' ? 1 : a.name.localeCompare(b.name),
    );
}

/**
 * Measures each workspace package's dist/index.js, minified and gzipped with esbuild (zod,
 * other @gossip packages and Node built-ins external; a package's own dependencies bundled).
 * A package whose dist is missing or older than its src is built first, or, with `build: false`,
 * bundled from its src/index.ts instead (close, not exact: tsup's output differs a little).
 *
 * @param options - `build`: build stale packages (default true); `log`: progress lines
 * @returns one row per package, @gossip/core first
 */
export async function packageSizes(
  options: { build?: boolean; log?: (line: string) => void } = {},
): Promise<SizeRow[]> {
  const { build: buildStale = true, log = () => {} } = options;
  const rows: SizeRow[] = [];
  for (const { name, dir } of workspacePackages()) {
    const dist = join(dir, 'dist', 'index.js');
    if (!buildStale && isStale(dir)) {
      rows.push({ ...(await measure(name, { entry: join(dir, 'src', 'index.ts') })), from: 'src' });
      continue;
    }
    if (!buildIfStale(name, dir, (line) => log(`size: ${line}`))) {
      rows.push({ library: name, minified: 0, gzipped: 0, error: 'build failed' });
      continue;
    }
    rows.push({ ...(await measure(name, { entry: dist })), from: 'dist' });
  }
  return rows;
}

const PEER_ENTRIES: ReadonlyArray<[string, string]> = [
  ['eventemitter3', "export { EventEmitter } from 'eventemitter3';"],
  ['mitt', "export { default } from 'mitt';"],
  ['tseep', "export { EventEmitter } from 'tseep';"],
  ['eventemitter2', "export { default } from 'eventemitter2';"],
  ['nanoevents', "export { createNanoEvents } from 'nanoevents';"],
  ['emittery', "export { default } from 'emittery';"],
];

/**
 * Measures each peer's main export the same way.
 *
 * @returns one row per peer
 */
export async function peerSizes(): Promise<SizeRow[]> {
  const rows: SizeRow[] = [];
  for (const [library, contents] of PEER_ENTRIES) rows.push(await measure(library, { contents }));
  return rows;
}
