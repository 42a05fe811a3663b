const MIN_WAIT_MS = 100;

/**
 * Each recipient's share of this worker's delivery slots: at most `limit` pushes to one endpoint at
 * a time, so a slow or dead endpoint ties up its own share and never the slots of the others. A
 * delivery that finds its recipient's share taken waits (as a delayed job) about as long as a push
 * to that recipient takes, and tries again.
 */
export class RecipientSlots {
  /** Start times of the pushes in flight, per recipient. */
  private readonly inFlight = new Map<string, number[]>();
  /** A moving average of how long a push to the recipient took. */
  private readonly typicalMs = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
  ) {}

  /** A slot for a push to `recipient`, with its release; null when the recipient's share is taken. */
  take(recipient: string): (() => void) | null {
    const started = this.inFlight.get(recipient) ?? [];
    if (started.length >= this.limit) return null;
    const now = Date.now();
    this.inFlight.set(recipient, [...started, now]);
    return () => this.release(recipient, now);
  }

  /** How long a delivery should wait for a slot: a push's typical time (or the oldest one's so far), jittered. */
  waitMs(recipient: string): number {
    const oldest = Math.min(...(this.inFlight.get(recipient) ?? [Date.now()]));
    const estimate = Math.max(this.typicalMs.get(recipient) ?? 0, Date.now() - oldest, MIN_WAIT_MS);
    return Math.round(Math.min(estimate, this.maxWaitMs) * (0.5 + Math.random()));
  }

  private release(recipient: string, started: number): void {
    const remaining = [...(this.inFlight.get(recipient) ?? [])];
    remaining.splice(remaining.indexOf(started), 1);
    if (remaining.length) this.inFlight.set(recipient, remaining);
    else this.inFlight.delete(recipient);
    const took = Date.now() - started;
    const typical = this.typicalMs.get(recipient);
    this.typicalMs.set(recipient, typical === undefined ? took : Math.round(0.7 * typical + 0.3 * took));
  }
}
