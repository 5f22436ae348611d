import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Re-renders its host once a second while `active()` holds (for "waiting 3 s" and "Recording 0:12" texts).
 * The timer starts and stops after each update, and stops when the host disconnects.
 */
export class TickerController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly active: () => boolean;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(host: ReactiveControllerHost, active: () => boolean) {
    (this.host = host).addController(this);
    this.active = active;
  }

  hostUpdated(): void {
    const active = this.active();
    if (active && !this.timer) this.timer = setInterval(() => this.host.requestUpdate(), 1000);
    if (!active) this.stop();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
