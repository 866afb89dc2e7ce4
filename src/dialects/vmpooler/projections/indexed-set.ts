/**
 * Strings in an array without holes, with O(1) add, delete and membership: a removal moves the last
 * item into the freed slot. `items` is live and in no order.
 */
export class IndexedSet {
  readonly items: string[] = [];
  private readonly slots = new Map<string, number>();

  get size(): number {
    return this.items.length;
  }

  has(item: string): boolean {
    return this.slots.has(item);
  }

  add(item: string): void {
    if (!this.slots.has(item)) this.slots.set(item, this.items.push(item) - 1);
  }

  delete(item: string): void {
    const slot = this.slots.get(item);
    if (slot === undefined) return;
    this.slots.delete(item);
    const last = this.items.pop()!;
    if (slot < this.items.length) {
      this.items[slot] = last;
      this.slots.set(last, slot);
    }
  }
}
