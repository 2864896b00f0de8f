/**
 * Reads coalesced into listings: when reads pending together share one listing, when a read is left to
 * itself, and that a fresh read (a read-back after a write) is only ever answered by a listing that
 * started after it was asked for.
 */
import { strict as assert } from "node:assert";
import { CoalescedReads, type SourcePolicy } from "../../src/truto/coalesced-reads";

const USERS: SourcePolicy = { aloneCost: 1, firstListingAt: 4 };

/** A listing that takes `pages` pages and answers with its own number, so a test can tell listings apart. */
function lister(pages = 1) {
  const started: number[] = [];
  let n = 0;
  const list = async (countPage: () => void) => {
    const mine = ++n;
    started.push(Date.now());
    for (let p = 0; p < pages; p++) {
      await new Promise((r) => setTimeout(r, 5));
      countPage();
    }
    return `listing ${mine}`;
  };
  return { list, started, count: () => n };
}

const read = (
  c: CoalescedReads<string>,
  l: ReturnType<typeof lister>,
  opts: { fresh?: boolean; ttlMs?: number; policy?: SourcePolicy } = {},
) => c.read("acct", { fresh: opts.fresh ?? false, ttlMs: opts.ttlMs ?? 10_000, policy: opts.policy ?? USERS, list: l.list });

describe("coalesced reads", () => {
  it("serves reads pending together with one listing once enough of them wait", async () => {
    const c = new CoalescedReads<string>();
    const l = lister();
    const answers = await Promise.all(Array.from({ length: 5 }, () => read(c, l)));
    assert.deepEqual(answers, Array(5).fill("listing 1"));
    assert.equal(l.count(), 1);
  });

  it("leaves reads to themselves while too few wait and the source's size is unknown", async () => {
    const c = new CoalescedReads<string>();
    const l = lister();
    assert.deepEqual(await Promise.all([read(c, l), read(c, l), read(c, l)]), [undefined, undefined, undefined]);
    assert.equal(l.count(), 0);
  });

  it("once the page count is known, lists only when that costs fewer requests than the reads alone", async () => {
    const c = new CoalescedReads<string>();
    const l = lister(3);
    await Promise.all(Array.from({ length: 4 }, () => read(c, l, { ttlMs: 0 })));
    assert.equal(l.count(), 1, "the first listing (4 waiting)");
    assert.deepEqual(
      await Promise.all(Array.from({ length: 3 }, () => read(c, l, { ttlMs: 0 }))),
      Array(3).fill(undefined),
      "3 reads cost 3, a listing 3",
    );
    const four = await Promise.all(Array.from({ length: 4 }, () => read(c, l, { ttlMs: 0 })));
    assert.deepEqual(four, Array(4).fill("listing 2"));
  });

  it("counts reads that need not be fresh left alone in the listing's lifetime: once they outnumber its pages, it lists", async () => {
    const c = new CoalescedReads<string>();
    const l = lister(3);
    await Promise.all(Array.from({ length: 4 }, () => read(c, l)));
    c.forget("acct");
    for (let k = 1; k <= 3; k++) assert.equal(await read(c, l), undefined, `single read ${k}: ${k} alone cost no more than 3 pages`);
    assert.equal(await read(c, l), "listing 2", "a fourth: the listing serves it and those to come");
    assert.equal(await read(c, l), "listing 2", "and the next is served by it at once");
    c.forget("acct");
    for (let k = 1; k <= 4; k++)
      assert.equal(await read(c, l, { fresh: true }), undefined, "fresh reads cannot be served later, so do not count");
  });

  it("lists a source of unknown size once enough reads that need not be fresh have come, together or one by one", async () => {
    const c = new CoalescedReads<string>();
    const l = lister(2);
    for (let k = 1; k <= 3; k++) assert.equal(await read(c, l), undefined, `read ${k} alone`);
    assert.equal(await read(c, l), "listing 1", "the fourth in the listing lifetime lists");
  });

  it("always shares a source whose single read lists it whole anyway (a Slack workspace)", async () => {
    const c = new CoalescedReads<string>();
    const l = lister();
    assert.equal(await read(c, l, { policy: { aloneCost: Infinity, firstListingAt: 1 } }), "listing 1");
  });

  it("answers a read that need not be fresh from a listing in flight or finished within its lifetime, and not after", async () => {
    const c = new CoalescedReads<string>();
    const l = lister(4);
    const first = Promise.all(Array.from({ length: 4 }, () => read(c, l, { ttlMs: 60 })));
    await new Promise((r) => setTimeout(r, 20)); // the listing is under way
    assert.equal(await read(c, l, { ttlMs: 60 }), "listing 1", "joins the listing in flight");
    await first;
    assert.equal(await read(c, l, { ttlMs: 60 }), "listing 1", "served by the finished one");
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await read(c, l, { ttlMs: 60 }), undefined, "too old, and one read alone is cheaper");
    assert.equal(l.count(), 1);
  });

  it("never answers a fresh read from a listing that started before it was asked for", async () => {
    const c = new CoalescedReads<string>();
    const l = lister(4);
    const earlier = Promise.all(Array.from({ length: 4 }, () => read(c, l)));
    await new Promise((r) => setTimeout(r, 20)); // listing 1 has started
    const askedAt = Date.now();
    const fresh = Promise.all(Array.from({ length: 5 }, () => read(c, l, { fresh: true })));
    await earlier;
    assert.deepEqual(await fresh, Array(5).fill("listing 2"), "5 reads alone cost more than 4 pages");
    assert.ok(l.started[1] >= askedAt, "the listing that answered started after the fresh reads were asked for");
    assert.equal(
      await read(c, l, { fresh: true }),
      undefined,
      "a listing finished moments ago does not answer it; alone, one read beats 4 pages",
    );
    assert.equal(l.count(), 2);
  });

  it("runs one listing of a source at a time: fresh reads that come while one runs share the next", async () => {
    const c = new CoalescedReads<string>();
    const l = lister(8);
    const SLACK: SourcePolicy = { aloneCost: Infinity, firstListingAt: 1 };
    const first = read(c, l, { fresh: true, policy: SLACK });
    await new Promise((r) => setTimeout(r, 25));
    const second = read(c, l, { fresh: true, policy: SLACK });
    await new Promise((r) => setTimeout(r, 20));
    const third = read(c, l, { fresh: true, policy: SLACK });
    assert.deepEqual(await Promise.all([first, second, third]), ["listing 1", "listing 2", "listing 2"]);
    assert.equal(l.count(), 2, "two listings, not three overlapping");
    assert.ok(l.started[1] >= l.started[0] + 8 * 5, "the second began once the first had ended");
  });

  it("fails every read a failed listing was serving, and does not keep the failure", async () => {
    const c = new CoalescedReads<string>();
    let calls = 0;
    const list = async () => {
      calls++;
      if (calls === 1) throw new Error("page 2 failed");
      return "listing 2";
    };
    const opts = { fresh: false, ttlMs: 10_000, policy: USERS, list };
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => c.read("acct", opts)));
    assert.ok(results.every((r) => r.status === "rejected" && /page 2 failed/.test(String(r.reason))));
    assert.deepEqual(await Promise.all(Array.from({ length: 4 }, () => c.read("acct", opts))), Array(4).fill("listing 2"));
  });

  it("forgets a listing a write made stale: later reads are not served from it", async () => {
    const c = new CoalescedReads<string>();
    const l = lister();
    await Promise.all(Array.from({ length: 4 }, () => read(c, l)));
    c.forget("acct");
    assert.equal(await read(c, l), undefined, "not served from the forgotten listing; alone, one read costs what a listing does");
    assert.equal(l.count(), 1);
  });

  describe("narrowed to the parts the reads are about (a Slack workspace's listing by role)", () => {
    const NARROW: SourcePolicy = { aloneCost: Infinity, firstListingAt: 1, narrowUpTo: 3 };

    /** A listing that records the parts it was asked for and answers with them. */
    function narrowLister(pages = 1) {
      const asked: (string[] | "all")[] = [];
      const list = async (countPage: () => void, only: ReadonlySet<string> | undefined) => {
        asked.push(only ? [...only].sort() : "all");
        for (let p = 0; p < pages; p++) {
          await new Promise((r) => setTimeout(r, 5));
          countPage();
        }
        return only ? [...only].sort().join(",") : "all";
      };
      return { list, asked };
    }
    const about = (
      c: CoalescedReads<string>,
      l: ReturnType<typeof narrowLister>,
      parts: string[] | undefined,
      fresh = true,
      policy = NARROW,
    ) => c.read("ws", { fresh, ttlMs: 10_000, policy, about: parts && new Set(parts), list: l.list });

    it("lists only the parts the reads waiting together are about, once for all of them", async () => {
      const c = new CoalescedReads<string>();
      const l = narrowLister();
      const answers = await Promise.all([about(c, l, ["Rl0A"]), about(c, l, ["Rl01", "Rl0A"])]);
      assert.deepEqual(answers, ["Rl01,Rl0A", "Rl01,Rl0A"]);
      assert.deepEqual(l.asked, [["Rl01", "Rl0A"]]);
    });

    it("lists the whole source when a read names no parts, when they would be too many, or when the policy does not narrow", async () => {
      const c = new CoalescedReads<string>();
      const l = narrowLister();
      await Promise.all([about(c, l, ["Rl0A"]), about(c, l, undefined)]);
      await Promise.all([about(c, l, ["a", "b"]), about(c, l, ["c", "d"])]);
      await about(c, l, ["Rl0A"], true, { aloneCost: Infinity, firstListingAt: 1 });
      assert.deepEqual(l.asked, ["all", "all", "all"]);
    });

    it("answers a read that need not be fresh from a narrowed listing only when it covers every part the read is about", async () => {
      const c = new CoalescedReads<string>();
      const l = narrowLister();
      await about(c, l, ["Rl01", "Rl0A"]);
      assert.equal(await about(c, l, ["Rl0A"], false), "Rl01,Rl0A", "covered: served by the listing");
      assert.equal(await about(c, l, ["Rl0B"], false), "Rl0B", "not covered: a listing of its own");
      assert.equal(await about(c, l, undefined, false), "all", "the whole source is never covered by a narrowed listing");
      assert.equal(await about(c, l, ["Rl05"], false), "all", "a whole listing covers any part");
      assert.deepEqual(l.asked, [["Rl01", "Rl0A"], ["Rl0B"], "all"]);
    });
  });
});
