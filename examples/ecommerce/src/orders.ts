/** Order intake: gives each order a unique id, keeps it, and announces it on the bus. */
import type { Priority } from '@gossip/core';
import type { Order, ShopBus } from './events.js';

/** A line of a cart. */
export interface CartLine {
  readonly sku: string;
  readonly quantity: number;
  readonly price: number;
}

/** The orders placed so far, by id. */
export class OrderStore {
  readonly #orders = new Map<string, Order>();

  add(order: Order): void {
    this.#orders.set(order.orderId, order);
  }

  get(orderId: string): Order | undefined {
    return this.#orders.get(orderId);
  }

  /** The priority of every event of an order's pipeline: express orders go first. */
  priorityOf(orderId: string): Priority {
    return this.#orders.get(orderId)?.express === true ? 'high' : 'normal';
  }
}

export class OrderService {
  readonly #bus: ShopBus;
  readonly #store: OrderStore;
  #next = 0;

  constructor(bus: ShopBus, store: OrderStore) {
    this.#bus = bus;
    this.#store = store;
  }

  /**
   * Places an order. The id comes from a counter, so no two orders share one. The event is
   * published with the order's priority: with the priority scheduler, express orders waiting
   * in the bus's buffer are dispatched before normal ones.
   */
  place(
    customer: { id: string; email: string },
    items: ReadonlyArray<CartLine>,
    options: { express: boolean },
  ): Promise<string> {
    const orderId = `ord-${String(++this.#next).padStart(4, '0')}`;
    const total =
      Math.round(items.reduce((sum, line) => sum + line.price * line.quantity, 0) * 100) / 100;
    const order: Order = { orderId, customer, items: [...items], total, express: options.express };
    this.#store.add(order);
    return this.#bus
      .publish('order.created', order, { priority: this.#store.priorityOf(orderId) })
      .then(() => orderId);
  }
}
