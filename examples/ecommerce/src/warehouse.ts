/**
 * A stand-in for the warehouse's stock API. The first call for a SKU listed in `faults`
 * misbehaves: `hang` never answers (until the caller's signal aborts), `conflict` fails with a
 * lock conflict. Later calls succeed.
 */
import { latency } from './latency.js';

export type WarehouseFault = 'hang' | 'conflict';

export class FakeWarehouse {
  readonly #faults: Map<string, WarehouseFault>;
  /** Calls made, in order: which order, and whether it succeeded. */
  readonly calls: Array<{ orderId: string; ok: boolean }> = [];

  constructor(faults: Readonly<Record<string, WarehouseFault>> = {}) {
    this.#faults = new Map(Object.entries(faults));
  }

  /** Reserves stock for every line of an order. */
  async reserve(orderId: string, skus: ReadonlyArray<string>, signal: AbortSignal): Promise<void> {
    const sku = skus.find((candidate) => this.#faults.has(candidate));
    const fault = sku === undefined ? undefined : this.#faults.get(sku);
    if (sku !== undefined) this.#faults.delete(sku);
    try {
      await latency(fault === 'hang' ? 60_000 : 8, signal);
      if (fault === 'conflict') throw new Error(`lock conflict on ${sku}`);
    } catch (error) {
      this.calls.push({ orderId, ok: false });
      throw error;
    }
    this.calls.push({ orderId, ok: true });
  }
}
