/** A minimal typed event emitter with no DOM dependency, shared by the session core and the transports. */
export class Emitter<Events> {
  #listeners = new Map<keyof Events, Set<(detail: never) => void>>();

  on<K extends keyof Events>(type: K, listener: (detail: Events[K]) => void): void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as (detail: never) => void);
  }

  off<K extends keyof Events>(type: K, listener: (detail: Events[K]) => void): void {
    this.#listeners.get(type)?.delete(listener as (detail: never) => void);
  }

  /** Calls every listener; one that throws is reported and does not stop the others. */
  emit<K extends keyof Events>(type: K, ...detail: Events[K] extends void ? [] : [Events[K]]): void {
    const set = this.#listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (d: Events[K] | undefined) => void)(detail[0]);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  listenerCount(type?: keyof Events): number {
    if (type !== undefined) return this.#listeners.get(type)?.size ?? 0;
    let total = 0;
    for (const set of this.#listeners.values()) total += set.size;
    return total;
  }

  clear(): void {
    this.#listeners.clear();
  }
}
