/** A minimal typed event emitter (no DOM events), shared by the session core and the transports. */
export class Emitter<Events> {
  #listeners = new Map<keyof Events, Set<(detail: never) => void>>();

  /** Adds `listener`; returns the function that removes it. */
  on<K extends keyof Events>(type: K, listener: (detail: Events[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as (detail: never) => void);
    return () => this.off(type, listener);
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

  clear(): void {
    this.#listeners.clear();
  }
}

/** Base for a class whose public API offers `on`/`off` for its own typed events, which it emits through `events`. */
export abstract class EventSource<Events> {
  protected readonly events = new Emitter<Events>();

  /** Adds `listener`; returns the function that removes it. */
  on<K extends keyof Events>(type: K, listener: (detail: Events[K]) => void): () => void {
    this.events.on(type, listener);
    return () => this.off(type, listener);
  }

  off<K extends keyof Events>(type: K, listener: (detail: Events[K]) => void): void {
    this.events.off(type, listener);
  }
}
