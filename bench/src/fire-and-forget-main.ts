import {
  FIRE_AND_FORGET_LIBRARIES,
  fireAndForgetSeries,
  type Maker,
} from './scenarios/fire-and-forget.js';

// Internal: `node --expose-gc scripts/run.mjs fire-and-forget-main <library> <events> <rounds>
// <deadline ms> <budget ms> <warm-up runs> <warm-up events>` runs one series of the
// fire-and-forget scenario and prints it as one line of JSON. It exits as soon as it has printed:
// after an aborted run the bus may still have most of a million events to go.
const [library = '', ...numbers] = process.argv.slice(2);
const [events, rounds, deadlineMs, budgetMs, warmupRuns, warmupEvents] = numbers.map(Number);
const libraries: Readonly<Record<string, Maker | undefined>> = FIRE_AND_FORGET_LIBRARIES;
const make = Object.hasOwn(libraries, library) ? libraries[library] : undefined;
if (
  make === undefined ||
  events === undefined ||
  rounds === undefined ||
  deadlineMs === undefined ||
  budgetMs === undefined ||
  warmupRuns === undefined ||
  warmupEvents === undefined ||
  numbers.length !== 6 ||
  numbers.some((n) => !/^\d+$/.test(n))
) {
  process.stderr.write(
    `usage: fire-and-forget-main <${Object.keys(FIRE_AND_FORGET_LIBRARIES).join('|')}> <events> <rounds> <deadline ms> <budget ms> <warm-up runs> <warm-up events>\n`,
  );
  process.exit(2);
}
const result = await fireAndForgetSeries(make, events, {
  rounds,
  deadlineMs,
  budgetMs,
  warmupRuns,
  warmupEvents,
});
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
