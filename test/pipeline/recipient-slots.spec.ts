import { RecipientSlots } from '../../src/handovers/recipient-slots';

const URL = 'https://mottagare.example/kur';

describe('RecipientSlots', () => {
  // A clock the test moves (Date.now); timers and the event loop stay real.
  beforeEach(() => jest.useFakeTimers({ now: 0, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('gives an endpoint at most its share, and the slot back on release', () => {
    const slots = new RecipientSlots(2, 10_000);
    const first = slots.take(URL);
    expect(slots.take(URL)).not.toBeNull();
    expect(slots.take(URL)).toBeNull();
    expect(slots.take('https://annan.example/kur')).not.toBeNull();
    first?.();
    expect(slots.take(URL)).not.toBeNull();
  });

  it("queues the deliveries waiting for a fast endpoint at that endpoint's pace", () => {
    const slots = new RecipientSlots(2, 10_000);
    const release = slots.take(URL);
    jest.advanceTimersByTime(10); // the endpoint answers in 10 ms
    release?.();
    slots.take(URL);
    slots.take(URL);
    const waits = [1, 2, 3].map(() => slots.waitMs(URL));
    // Two slots, and a push counted at the 20 ms floor (this endpoint takes 10): a turn every 10 ms, ±10 %.
    waits.forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(Math.floor(10 * (index + 1) * 0.9));
      expect(wait).toBeLessThanOrEqual(Math.ceil(10 * (index + 1) * 1.1));
    });
  });

  it('spaces the turns by how long the pushes in flight have taken when that is longer', () => {
    const slots = new RecipientSlots(2, 10_000);
    slots.take(URL);
    slots.take(URL);
    jest.advanceTimersByTime(400); // a slow endpoint: both pushes still open
    const wait = slots.waitMs(URL);
    expect(wait).toBeGreaterThanOrEqual(180);
    expect(wait).toBeLessThanOrEqual(220);
  });
});
