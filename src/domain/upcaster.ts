import type { Json } from './json.js';

/**
 * Turns an event type that older code stored into the type that replaced it, when it is read: stores
 * written by an earlier version load unchanged, and no reader sees the old type.
 */
export interface Upcaster {
  readonly fromType: string;
  readonly toType: string;
  /** The new event's data; `data` is what the old code stored. */
  upcast(data: Json): Json;
}
