export interface Order {
  readonly id: string;
  readonly item: string;
  readonly quantity: number;
  /** The principal ARN that created it. */
  readonly createdBy: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

export interface NewOrder {
  readonly item: string;
  readonly quantity: number;
}

const MAX_ITEM = 256;

/** Parses a CreateOrder body; returns a message for a client mistake. */
export function parseNewOrder(body: Buffer | string | undefined): NewOrder | string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : (body ?? ''));
  } catch {
    return 'The request body must be JSON: {"item": "...", "quantity": 1}.';
  }
  const v = value as { item?: unknown; quantity?: unknown } | null;
  if (typeof v !== 'object' || v === null) return 'The request body must be a JSON object.';
  if (typeof v.item !== 'string' || v.item.length === 0 || v.item.length > MAX_ITEM) return `item must be a string of 1 to ${MAX_ITEM} characters.`;
  const quantity = v.quantity ?? 1;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000) return 'quantity must be an integer from 1 to 1000000.';
  return { item: v.item, quantity };
}

/** Orders in memory, ids from a counter (the example keeps no state across restarts). */
export class OrderStore {
  readonly #orders = new Map<string, Order>();
  #next = 1;

  constructor(private readonly now: () => number = Date.now) {}

  list(): Order[] {
    return [...this.#orders.values()];
  }

  get(id: string): Order | undefined {
    return this.#orders.get(id);
  }

  create(order: NewOrder, createdBy: string): Order {
    const created: Order = { id: String(this.#next++), item: order.item, quantity: order.quantity, createdBy, createdAt: new Date(this.now()).toISOString() };
    this.#orders.set(created.id, created);
    return created;
  }

  delete(id: string): boolean {
    return this.#orders.delete(id);
  }
}
