import { groupCommit } from '../../src/core/database/group-commit';

/** A batch runner whose batches end when the test says so, recording what each batch held. */
function heldBatches(options?: Parameters<typeof groupCommit>[1]) {
  const batches: number[][] = [];
  const release: ((fail?: Error) => void)[] = [];
  const run = (calls: readonly number[]) => {
    batches.push([...calls]);
    return new Promise<(number | Error)[]>((resolve, reject) =>
      release.push((fail) =>
        fail ? reject(fail) : resolve(calls.map((call) => (call < 0 ? new Error('negative') : call * 10))),
      ),
    );
  };
  return { batches, release, call: groupCommit(run, options) };
}

/** Gives the event loop `count` turns. */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** Resolves once `check` holds; every loop gives the event loop a turn (setImmediate), so it cannot spin forever unnoticed. */
async function until(check: () => boolean): Promise<void> {
  for (let turn = 0; !check(); turn++) {
    if (turn > 1000) throw new Error('never happened');
    await turns(1);
  }
}

describe('groupCommit', () => {
  it('sends the calls of one tick as one batch, and each gets its own answer', async () => {
    const { batches, release, call } = heldBatches();
    const answers = Promise.all([call(1), call(2), call(3)]);
    await until(() => batches.length === 1);
    release[0]();
    await expect(answers).resolves.toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('holds the calls made while a batch is at the database, and sends them together once it is back', async () => {
    const { batches, release, call } = heldBatches();
    const first = call(1);
    await until(() => batches.length === 1);
    const later = [call(2)];
    await turns(1);
    later.push(call(3));
    await turns(1);
    expect(batches).toHaveLength(1); // still waiting for the first
    release[0]();
    await expect(first).resolves.toBe(10);
    await until(() => batches.length === 2);
    release[1]();
    await expect(Promise.all(later)).resolves.toEqual([20, 30]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('gives a failed batch its error in every call and an answer-level error to its own call only, then goes on', async () => {
    const { batches, release, call } = heldBatches();
    const failing = [call(1), call(2)].map((answer) => answer.catch((error: Error) => error.message));
    await until(() => batches.length === 1);
    release[0](new Error('database away'));
    await expect(Promise.all(failing)).resolves.toEqual(['database away', 'database away']);
    const mixed = [call(4), call(-1)].map((answer) => answer.catch((error: Error) => error.message));
    await until(() => batches.length === 2);
    release[1]();
    await expect(Promise.all(mixed)).resolves.toEqual([40, 'negative']);
  });

  describe('with gatherMs', () => {
    // A clock the test moves: only setTimeout is faked, so the event loop still turns.
    beforeEach(() =>
      jest.useFakeTimers({
        doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'setInterval'],
      }),
    );
    afterEach(() => jest.useRealTimers());

    it('sends a batch that long after the database is free, with the calls made meanwhile', async () => {
      const { batches, release, call } = heldBatches({ gatherMs: 5 });
      const first = call(1);
      await turns(1);
      jest.advanceTimersByTime(4);
      const second = call(2);
      await turns(3);
      expect(batches).toHaveLength(0);
      jest.advanceTimersByTime(1);
      await until(() => batches.length === 1);
      const third = call(3);
      await turns(3);
      release[0]();
      await expect(Promise.all([first, second])).resolves.toEqual([10, 20]);
      jest.advanceTimersByTime(4);
      await turns(3);
      expect(batches).toHaveLength(1); // the wait starts when the batch before is back
      jest.advanceTimersByTime(1);
      await until(() => batches.length === 2);
      release[1]();
      await expect(third).resolves.toBe(30);
      expect(batches).toEqual([[1, 2], [3]]);
    });
  });
});
