/** A stand-in for a card processor: it declines a charge above the customer's card limit. */
import { latency } from './latency.js';

export type ChargeResult =
  | { readonly ok: true; readonly paymentId: string }
  | { readonly ok: false; readonly reason: string };

export class FakePaymentGateway {
  readonly #limits: ReadonlyMap<string, number>;
  #next = 0;

  /** @param limits - card limits by customer id; customers not listed have none */
  constructor(limits: Readonly<Record<string, number>> = {}) {
    this.#limits = new Map(Object.entries(limits));
  }

  async charge(customerId: string, amount: number, signal: AbortSignal): Promise<ChargeResult> {
    await latency(12, signal);
    const limit = this.#limits.get(customerId) ?? Number.POSITIVE_INFINITY;
    if (amount > limit) return { ok: false, reason: 'insufficient funds' };
    return { ok: true, paymentId: `pay-${++this.#next}` };
  }
}
