/**
 * Per-account pacing under a fake clock: the governor's `sleep` advances the clock instead of waiting,
 * so every test is instant and deterministic.
 */
import { strict as assert } from "node:assert";
import { isTrutoError } from "../../src/truto/errors";
import {
  DEFAULT_RATE_LIMIT,
  DEFAULT_TOKEN_RATE_LIMIT,
  RateGovernor,
  type GovernorSettings,
  type RateLimitSettings,
} from "../../src/truto/governor";

/** A clock that only moves when the governor sleeps (or a test advances it). */
function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

function governor(settings: RateLimitSettings | GovernorSettings) {
  const clock = fakeClock();
  return { clock, g: new RateGovernor(settings, clock.now, clock.sleep) };
}

/** Acquires `n` slots for `key` one after another, each answered at once, and returns each start time. */
async function startsOf(g: RateGovernor, clock: ReturnType<typeof fakeClock>, key: string, n: number): Promise<number[]> {
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    const release = await g.acquire(key);
    starts.push(clock.now());
    release();
  }
  return starts;
}

/** Asserts that `p` rejects as TRUTO_RATE_LIMITED with a message matching every pattern, and returns the error. */
async function refused(p: Promise<unknown>, ...patterns: RegExp[]) {
  let failure: unknown;
  await p.then(
    () => assert.fail("expected the wait to be refused"),
    (e: unknown) => {
      failure = e;
    },
  );
  assert.ok(isTrutoError(failure, "TRUTO_RATE_LIMITED"), String(failure));
  for (const pattern of patterns) assert.match(failure.message, pattern);
  return failure;
}

/** The most starts that fall in any half-open window [t, t + windowMs). */
function busiestWindow(starts: readonly number[], windowMs: number): number {
  let most = 0;
  for (const from of starts) most = Math.max(most, starts.filter((t) => t >= from && t < from + windowMs).length);
  return most;
}

describe("governor", () => {
  it("defaults to Truto's documented 50 requests per 10 s", () => {
    assert.deepEqual({ ...DEFAULT_RATE_LIMIT }, { limit: 50, windowMs: 10_000 });
  });

  it("lets the first `limit` requests start without waiting", async () => {
    const { g, clock } = governor({ limit: 5, windowMs: 1_000 });
    const starts = await startsOf(g, clock, "acct", 5);
    assert.deepEqual(clock.sleeps, []);
    assert.equal(new Set(starts).size, 1);
  });

  it("makes requests over the limit wait for the window", async () => {
    const { g, clock } = governor({ limit: 5, windowMs: 1_000 });
    const starts = await startsOf(g, clock, "acct", 12);
    const t0 = starts[0];
    // Batches of five, each a full window (plus a small edge margin) after the one before.
    assert.ok(starts.slice(0, 5).every((t) => t === t0));
    assert.ok(starts.slice(5, 10).every((t) => t >= t0 + 1_000 && t === starts[5]));
    assert.ok(starts.slice(10).every((t) => t >= starts[5] + 1_000));
    assert.ok(clock.sleeps.length > 0);
  });

  it("never starts more than `limit` requests in any window of windowMs", async () => {
    for (const settings of [
      { limit: 3, windowMs: 500 },
      { limit: 50, windowMs: 10_000 },
      { limit: 1, windowMs: 100 },
    ]) {
      const { g, clock } = governor(settings);
      const starts = await startsOf(g, clock, "acct", settings.limit * 4 + 1);
      assert.ok(busiestWindow(starts, settings.windowMs) <= settings.limit, JSON.stringify(settings));
    }
  });

  it("keeps to the limit when callers arrive at once, serving them in order", async () => {
    const { g, clock } = governor({ limit: 4, windowMs: 1_000 });
    const order: number[] = [];
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        g.acquire("acct").then((release) => {
          order.push(i);
          starts.push(clock.now());
          release();
        }),
      ),
    );
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(busiestWindow(starts, 1_000) <= 4);
  });

  it("frees a slot a window after the response arrived, not after the grant", async () => {
    const { g, clock } = governor({ limit: 1, windowMs: 1_000 });
    const t0 = clock.now();
    const release = await g.acquire("acct");
    clock.advance(300); // the server may have counted the request any time up to its response
    release();
    (await g.acquire("acct"))();
    assert.ok(clock.now() >= t0 + 300 + 1_000, `second start at +${clock.now() - t0} ms`);
  });

  it("holds new requests while the window is full of requests still in flight", async () => {
    let t = 1_700_000_000_000;
    // This clock yields to the event loop on every sleep, so the test can act while the governor waits.
    const g = new RateGovernor(
      { limit: 2, windowMs: 1_000 },
      () => t,
      async (ms) => {
        t += ms;
        await new Promise((r) => setImmediate(r));
      },
    );
    const first = await g.acquire("acct");
    await g.acquire("acct"); // never answered in this test
    let startedAt: number | undefined;
    const third = g.acquire("acct").then((release) => {
      startedAt = t;
      release();
    });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(startedAt, undefined, "no slot is free while both requests are in flight");
    const answeredAt = t;
    first();
    await third;
    assert.ok(startedAt !== undefined && startedAt >= answeredAt + 1_000, "the slot frees a window after the answer");
  });

  it("counts requests a window ago as expired", async () => {
    const { g, clock } = governor({ limit: 2, windowMs: 1_000 });
    await startsOf(g, clock, "acct", 2);
    clock.advance(2_000);
    await startsOf(g, clock, "acct", 2);
    assert.deepEqual(clock.sleeps, []);
  });

  it("paces each account on its own", async () => {
    const { g, clock } = governor({ limit: 2, windowMs: 1_000 });
    await startsOf(g, clock, "a", 2);
    await startsOf(g, clock, "b", 2);
    assert.deepEqual(clock.sleeps, []);
  });

  it("blocks an account until the Retry-After of a 429 has passed", async () => {
    const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
    const t0 = clock.now();
    g.observe("acct", { status: 429, retryAfterMs: 3_000 });
    (await g.acquire("acct"))();
    assert.ok(clock.now() >= t0 + 3_000);
  });

  it("does not block other accounts after a 429", async () => {
    const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
    g.observe("a", { status: 429, retryAfterMs: 3_000 });
    (await g.acquire("b"))();
    assert.deepEqual(clock.sleeps, []);
  });

  describe("ratelimit-* as the vendor's quota, not Truto's window", () => {
    /** The gaps between consecutive starts. */
    const gaps = (starts: readonly number[]) => starts.slice(1).map((t, i) => t - starts[i]);

    it("spreads the account's next requests over the time to the vendor's reset", async () => {
      const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
      g.observe("acct", { status: 200, remaining: 4, resetMs: 5_000 });
      const starts = await startsOf(g, clock, "acct", 3);
      for (const gap of gaps(starts)) assert.ok(gap >= 1_250, `gap ${gap} ms: 4 left in 5 s is one per 1.25 s`);
    });

    it("slows down even when our own requests explain what is used: the quota counts every client", async () => {
      const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
      await startsOf(g, clock, "acct", 10);
      // A vendor quota of 110 per minute (HubSpot's example in Truto's docs): 20 left, 60 s to go.
      g.observe("acct", { status: 200, remaining: 20, resetMs: 60_000 });
      const starts = await startsOf(g, clock, "acct", 3);
      for (const gap of gaps(starts)) assert.ok(gap >= 3_000, `gap ${gap} ms`);
    });

    it("costs next to nothing while the vendor's quota is plentiful", async () => {
      const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
      g.observe("acct", { status: 200, remaining: 10_000, resetMs: 60_000 });
      const starts = await startsOf(g, clock, "acct", 5);
      for (const gap of gaps(starts)) assert.ok(gap <= 6, `gap ${gap} ms`);
    });

    it("never lets the vendor's quota speed an account past Truto's own limit", async () => {
      const { g, clock } = governor({ limit: 5, windowMs: 1_000 });
      g.observe("acct", { status: 200, remaining: 1_000_000, resetMs: 1_000 });
      const starts = await startsOf(g, clock, "acct", 16);
      assert.ok(busiestWindow(starts, 1_000) <= 5);
    });

    it("follows the latest reading: a quota that recovered stops slowing the account", async () => {
      const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
      g.observe("acct", { status: 200, remaining: 1, resetMs: 10_000 });
      g.observe("acct", { status: 200, remaining: 5_000, resetMs: 5_000 });
      const starts = await startsOf(g, clock, "acct", 5);
      for (const gap of gaps(starts)) assert.ok(gap <= 1, `gap ${gap} ms`);
    });

    it("keeps one account's vendor quota to that account", async () => {
      const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
      g.observe("a", { status: 200, remaining: 0, resetMs: 30_000 });
      g.observe("a", { status: 200, remaining: 2, resetMs: 30_000 });
      await startsOf(g, clock, "b", 5);
      assert.deepEqual(clock.sleeps, []);
    });
  });

  it("waits for the reset when ratelimit-remaining is 0", async () => {
    const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
    const t0 = clock.now();
    g.observe("acct", { status: 200, remaining: 0, resetMs: 4_000 });
    (await g.acquire("acct"))();
    assert.ok(clock.now() >= t0 + 4_000);
  });

  it("never waits when pacing is off", async () => {
    const { g, clock } = governor(false);
    await startsOf(g, clock, "acct", 500);
    assert.deepEqual(clock.sleeps, []);
  });

  it("ignores ratelimit-remaining when pacing is off", async () => {
    const { g, clock } = governor(false);
    g.observe("acct", { status: 200, remaining: 49, resetMs: 10_000 });
    await startsOf(g, clock, "acct", 5);
    assert.deepEqual(clock.sleeps, []);
  });

  describe("the per-token limit across accounts", () => {
    const both = { account: { limit: 5, windowMs: 1_000 }, token: { limit: 8, windowMs: 1_000 } };

    it("defaults to Truto's documented 500 requests per 10 s", () => {
      assert.deepEqual({ ...DEFAULT_TOKEN_RATE_LIMIT }, { limit: 500, windowMs: 10_000 });
    });

    it("keeps every account of one token, together, under the token's limit, and each under its own", async () => {
      const { g, clock } = governor(both);
      const starts: Record<string, number[]> = { a: [], b: [], c: [] };
      await Promise.all(
        Object.keys(starts).map(async (account) => {
          for (let i = 0; i < 10; i++) {
            const release = await g.acquire({ account, token: "t" });
            starts[account].push(clock.now());
            release();
          }
        }),
      );
      const all = Object.values(starts).flat();
      assert.equal(all.length, 30);
      assert.ok(busiestWindow(all, 1_000) <= 8, `busiest token window: ${busiestWindow(all, 1_000)}`);
      for (const [account, times] of Object.entries(starts)) assert.ok(busiestWindow(times, 1_000) <= 5, account);
      assert.ok(clock.sleeps.length > 0);
    });

    it("gives each token a lane of its own", async () => {
      const { g, clock } = governor(both);
      for (const token of ["t1", "t2"])
        for (const account of ["a", "b"]) for (let i = 0; i < 4; i++) (await g.acquire({ account: `${token}${account}`, token }))();
      assert.deepEqual(clock.sleeps, [], "8 per token fit each token's window");
    });

    it("paces a request that names no account in the token's lane alone", async () => {
      const { g, clock } = governor(both);
      const starts: number[] = [];
      for (let i = 0; i < 12; i++) {
        const release = await g.acquire({ token: "t" });
        starts.push(clock.now());
        release();
      }
      assert.ok(busiestWindow(starts, 1_000) <= 8);
      assert.ok(busiestWindow(starts, 1_000) > 5, "the account limit does not apply without an account");
    });

    it("names the API token's limit when it is what would hold a call past its deadline", async () => {
      const { g, clock } = governor(both);
      for (const account of ["a", "b"]) for (let i = 0; i < 4; i++) (await g.acquire({ account, token: "t" }))();
      await refused(
        g.acquire({ account: "c", token: "t" }, { deadline: clock.now() + 100 }),
        /the API token's rate limit of 8 requests per 1 s/,
      );
    });

    it("is off with `token: false`, leaving the accounts' limits", async () => {
      const { g, clock } = governor({ account: { limit: 5, windowMs: 1_000 }, token: false });
      for (const account of ["a", "b", "c"]) for (let i = 0; i < 5; i++) (await g.acquire({ account, token: "t" }))();
      assert.deepEqual(clock.sleeps, []);
    });
  });

  describe("waits bounded by the caller's deadline", () => {
    it("refuses at once a 429's Retry-After that would pass the deadline, saying how long Truto asked", async () => {
      const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
      g.observe("acct", { status: 429, retryAfterMs: 150_000 });
      const e = await refused(g.acquire("acct", { deadline: clock.now() + 120_000 }), /asked to wait 150 s/, /120 s left/);
      assert.equal(e.retryAfterMs, 150_000);
      assert.deepEqual(clock.sleeps, [], "nothing was waited out");
    });

    it("refuses a wait Truto asked for that is longer than the caller's longest wait, even within the deadline", async () => {
      const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
      g.observe("acct", { status: 429, retryAfterMs: 20_000 });
      await refused(g.acquire("acct", { deadline: clock.now() + 120_000, maxServerWaitMs: 15_000 }), /asked to wait 20 s/, /15 s/);
      assert.deepEqual(clock.sleeps, []);
    });

    it("refuses at once when ratelimit-remaining 0 says the reset is past the deadline", async () => {
      const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
      g.observe("acct", { status: 200, remaining: 0, resetMs: 60_000 });
      await refused(g.acquire("acct", { deadline: clock.now() + 5_000 }), /asked to wait 60 s/);
      assert.deepEqual(clock.sleeps, []);
    });

    it("still waits out what fits the deadline and the longest wait", async () => {
      const { g, clock } = governor({ limit: 50, windowMs: 10_000 });
      const t0 = clock.now();
      g.observe("acct", { status: 429, retryAfterMs: 3_000 });
      (await g.acquire("acct", { deadline: t0 + 120_000, maxServerWaitMs: 15_000 }))();
      assert.ok(clock.now() >= t0 + 3_000);
    });

    it("refuses a pacing wait past the deadline, naming the account's rate", async () => {
      const { g, clock } = governor({ limit: 2, windowMs: 1_000 });
      await startsOf(g, clock, "acct", 2);
      await refused(g.acquire("acct", { deadline: clock.now() + 500 }), /integrated account's rate limit of 2 requests per 1 s/);
      assert.deepEqual(clock.sleeps, []);
    });

    it("serves queued callers in order and refuses only those whose turn would come too late", async () => {
      const { g, clock } = governor({ limit: 1, windowMs: 1_000 });
      const t0 = clock.now();
      const outcomes = await Promise.all(
        [0, 1, 2].map((i) =>
          g.acquire("acct", { deadline: t0 + 1_500 }).then(
            (release) => {
              release();
              return `started ${i} at +${clock.now() - t0}`;
            },
            (e: Error) => `refused ${i}: ${isTrutoError(e, "TRUTO_RATE_LIMITED")}`,
          ),
        ),
      );
      assert.deepEqual(
        outcomes.map((o) => o.replace(/ at \+\d+/, "")),
        ["started 0", "started 1", "refused 2: true"],
      );
      assert.ok(clock.now() - t0 <= 1_500, "nobody waited past the deadline");
    });

    it("a refused caller takes no slot", async () => {
      const { g, clock } = governor({ limit: 2, windowMs: 1_000 });
      (await g.acquire("acct"))();
      await refused(g.acquire("acct", { deadline: clock.now() - 1 }));
      (await g.acquire("acct"))();
      assert.deepEqual(clock.sleeps, [], "the second slot was still free");
    });
  });
});
