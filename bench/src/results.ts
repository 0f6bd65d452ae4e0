import type { InstantiationGuard } from './type-scaling/instantiation-guard.js';
import type { TypeScalingResult } from './type-scaling/measure-type-scaling.js';

/** One library's figure in one scenario. */
export interface ResultRow {
  /** The library (or app, or package), as shown in the tables. */
  readonly library: string;
  /** The median over the rounds, in the scenario's unit. */
  readonly median: number;
  /** (max - min) / median of the rounds' values. */
  readonly spread: number;
  /** median / the reference row's median, measured in the same run; null where meaningless. */
  readonly ratio: number | null;
  /** Each round's value. */
  readonly rounds: readonly number[];
  /** Set when the row could not be measured. */
  readonly error?: string;
  /** True when `median` is a lower bound: the run was stopped before it finished. */
  readonly lowerBound?: boolean;
  /** More figures of the row, such as a type-check's instantiations. */
  readonly details?: Readonly<Record<string, number>>;
}

/** One scenario's results. */
export interface ScenarioResult {
  /** A stable id, such as `queued-10`. */
  readonly id: string;
  readonly title: string;
  /** What `median` counts: `ns/event`, `ns/op`, `bytes/event`, `bytes`, `ms`. */
  readonly unit: string;
  /** The library whose median the ratios divide by. */
  readonly reference: string;
  readonly rows: readonly ResultRow[];
  /** What the reader must know to read the numbers. */
  readonly notes?: readonly string[];
}

/** A target of issue 7 or the core issue, checked against the results. */
export interface TargetResult {
  readonly id: string;
  readonly description: string;
  /** The measured value (a ratio, or bytes). */
  readonly value: number;
  /** The limit the value must not pass. */
  readonly limit: number;
  /** `max`: value must be at most the limit; `min`: at least. */
  readonly kind: 'max' | 'min';
  readonly hit: boolean;
  /** True when `value` is a lower bound (a run was stopped at its deadline): always a miss. */
  readonly atLeast?: boolean;
}

/** A CPU profile of a missed target, summarised. */
export interface ProfileSummary {
  readonly target: string;
  readonly scenario: string;
  readonly library: string;
  readonly durationMs: number;
  readonly samples: number;
  /** The functions with the most self time. */
  readonly top: ReadonlyArray<{
    readonly function: string;
    readonly location: string;
    readonly selfPercent: number;
  }>;
}

/** Instantiations of one type-level probe, to show where a type check spends its work. */
export interface TypeProbe {
  readonly probe: string;
  /** What the probe's index.ts adds to the event map. */
  readonly code: string;
  /** Instantiations of the whole probe app; null if it failed to check. */
  readonly instantiations: number | null;
  readonly error?: string;
}

/** The machine the numbers come from. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
}

/** Everything one `pnpm bench` run measured: bench/results/latest.json. */
export interface BenchResults {
  readonly schema: 1;
  readonly date: string;
  readonly mode: 'full' | 'quick';
  /** How many processes ran each timed scenario (absent: one, the harness's own). */
  readonly forks?: number;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  /** Library name to version; `@gossip/core` carries the git commit it was measured at. */
  readonly versions: Readonly<Record<string, string>>;
  readonly scenarios: readonly ScenarioResult[];
  readonly targets: readonly TargetResult[];
  readonly typeScaling?: TypeScalingResult;
  /** When a type-check target is missed: instantiations of single constructs, at `events` events. */
  readonly typeProbes?: { readonly events: number; readonly probes: readonly TypeProbe[] };
  /** Quick mode: the gossip apps' instantiations against their recorded bounds. */
  readonly instantiationGuard?: InstantiationGuard;
  readonly profiles: readonly ProfileSummary[];
}
