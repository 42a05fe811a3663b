/**
 * The shortest push a turn assumes. Turns follow the endpoint's own push time, so that a fast
 * endpoint's backlog goes at its pace; the floor keeps a turn from coming round before a push could
 * have ended, when a delayed delivery would only be told to wait again.
 */
const MIN_PUSH_MS = 20;

/**
 * Each recipient's share of this worker's delivery slots: at most `limit` pushes to one endpoint at
 * a time, so a slow or dead endpoint ties up its own share and never the slots of the others. The
 * deliveries that find an endpoint's share taken queue up for it: each gets a turn a push's typical
 * time per slot after the previous one (at most `maxWaitMs` ahead), and waits as a delayed job.
 */
export class RecipientSlots {
  /** Start times of the pushes in flight, per recipient. */
  private readonly inFlight = new Map<string, number[]>();
  /** A moving average of how long a push to the recipient took. */
  private readonly typicalMs = new Map<string, number>();
  /** When the last delivery told to wait for the recipient has its turn. */
  private readonly lastTurn = new Map<string, number>();

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

  /** How long a delivery that found the share taken waits for its turn. */
  waitMs(recipient: string): number {
    const now = Date.now();
    const oldest = Math.min(...(this.inFlight.get(recipient) ?? [now]));
    // A push takes its typical time, or at least as long as the oldest one in flight has so far.
    const pushMs = Math.min(Math.max(this.typicalMs.get(recipient) ?? 0, now - oldest, MIN_PUSH_MS), this.maxWaitMs);
    const turn = Math.min(Math.max(now, this.lastTurn.get(recipient) ?? 0) + pushMs / this.limit, now + this.maxWaitMs);
    this.lastTurn.set(recipient, turn);
    return Math.round((turn - now) * (0.9 + Math.random() * 0.2));
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
