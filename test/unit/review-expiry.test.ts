/**
 * The review and time-bound access: roles expiring within the window say how many days are left, a role
 * whose time has passed shows as revoked at the next `pulumi up`, one the provider already revoked is not
 * revoked again, and `--require-expiry-for-privileged` flags (and fails on) privileged grants without
 * an expiry. The clock is injected.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { renderMarkdown, summarizePreview, type AccessReview, type RoleChange } from "../../src/review";
import { reviewCommand } from "../../src/cli/review-command";
import { assignmentState, assignmentStep, assignmentUrn, digestOf, jumpcloud, type AssignmentInputs } from "../fixtures/preview/build";
import type { FixtureStep } from "../fixtures/preview/load";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
const USER = "64a1f0c2e4b0a1a1a1a1a002";

const granted = (r: AccessReview): RoleChange[] => r.sections.flatMap((s) => s.granted);
const revoked = (r: AccessReview): RoleChange[] => r.sections.flatMap((s) => s.revoked);

/** An update step whose old state's outputs record `expiredRoles`, as the provider writes them. */
function updateStep(name: string, old: AssignmentInputs, next: AssignmentInputs, expiredRoles: unknown[] = []): FixtureStep {
  const oldState = assignmentState(name, old);
  return {
    op: "update",
    urn: assignmentUrn(name),
    oldState: { ...oldState, outputs: { ...oldState.outputs, expiredRoles } },
    newState: assignmentState(name, next),
    detailedDiff: null,
  };
}

describe("review: expiry", () => {
  it("says how many days are left on a granted role expiring within the window, and nothing beyond it", () => {
    const digest = digestOf([
      assignmentStep("create", "jc-soon", { new: jumpcloud(USER, [{ id: "help-desk", expiresAt: iso(NOW + 2.5 * DAY) }]) }),
      assignmentStep("create", "jc-later", {
        new: jumpcloud("64a1f0c2e4b0a1a1a1a1a003", [{ id: "help-desk", expiresAt: iso(NOW + 30 * DAY) }]),
      }),
    ]);
    const review = summarizePreview(digest, { now: NOW });
    const byResource = new Map(granted(review).map((c) => [c.resource, c.role.expiry]));
    assert.deepEqual(byResource.get("jc-soon"), { state: "expiring", at: iso(NOW + 2.5 * DAY), inDays: 3 });
    assert.equal(byResource.get("jc-later"), undefined);
    const md = renderMarkdown(review);
    assert.ok(md.includes(`— expires in 3 days (\`${iso(NOW + 2.5 * DAY)}\`)`), md);
    const wider = summarizePreview(digest, { now: NOW, expiringWithinDays: 31 });
    assert.equal(granted(wider).find((c) => c.resource === "jc-later")?.role.expiry?.inDays, 30);
  });

  it("inherits the resource's expiresAt for a role without its own", () => {
    const review = summarizePreview(
      digestOf([assignmentStep("create", "jc", { new: { ...jumpcloud(USER, [{ id: "help-desk" }]), expiresAt: iso(NOW + DAY) } })]),
      { now: NOW },
    );
    assert.equal(granted(review)[0]?.role.expiry?.inDays, 1);
  });

  it("shows a role whose time has passed as revoked at the next `pulumi up`, counted as expired", () => {
    const roles = [{ id: "help-desk", expiresAt: iso(NOW - 60_000) }, { id: "read-only" }];
    const review = summarizePreview(digestOf([updateStep("jc", jumpcloud(USER, roles), jumpcloud(USER, roles))]), { now: NOW });
    assert.deepEqual(
      revoked(review).map((c) => [c.role.id, c.role.expiry?.state]),
      [["help-desk", "expired"]],
    );
    assert.deepEqual(granted(review), []);
    assert.equal(review.totals.expired, 1);
    assert.equal(review.hasAccessChange, true);
    const md = renderMarkdown(review);
    assert.ok(md.includes("— expired: revoked at the next `pulumi up`"), md);
    assert.ok(md.includes("1 role expired"), md);
  });

  it("does not revoke again a role the provider already recorded as expired, on update or on delete", () => {
    const roles = [{ id: "help-desk", expiresAt: iso(NOW - DAY) }, { id: "read-only" }];
    const expired = [{ id: "help-desk", expiresAt: iso(NOW - DAY), expiredAt: iso(NOW - DAY) }];
    const relabel = summarizePreview(
      digestOf([updateStep("jc", jumpcloud(USER, roles), jumpcloud(USER, [roles[0], { id: "read-only", name: "Read Only" }]), expired)]),
      { now: NOW },
    );
    assert.deepEqual(revoked(relabel), []);
    const del = assignmentStep("delete", "jc", { old: jumpcloud(USER, roles) });
    del.oldState = { ...del.oldState!, outputs: { ...del.oldState!.outputs, expiredRoles: expired } };
    const destroyed = summarizePreview(digestOf([del]), { now: NOW });
    assert.deepEqual(
      revoked(destroyed).map((c) => c.role.id),
      ["read-only"],
    );
  });

  it("shows an expired role renewed to a later time as granted again", () => {
    const old = [{ id: "help-desk", expiresAt: iso(NOW - DAY) }];
    const expired = [{ ...old[0], expiredAt: iso(NOW - DAY) }];
    const review = summarizePreview(
      digestOf([updateStep("jc", jumpcloud(USER, old), jumpcloud(USER, [{ id: "help-desk", expiresAt: iso(NOW + 20 * DAY) }]), expired)]),
      { now: NOW },
    );
    assert.deepEqual(
      granted(review).map((c) => c.role.id),
      ["help-desk"],
    );
  });

  it("flags a privileged grant without expiresAt only with requireExpiryForPrivileged", () => {
    const digest = digestOf([
      assignmentStep("create", "jc-admin", {
        new: jumpcloud(USER, [{ id: "administrator" }, { id: "manager", expiresAt: iso(NOW + DAY) }, { id: "read-only" }]),
      }),
    ]);
    assert.equal(summarizePreview(digest, { now: NOW }).totals.privilegedWithoutExpiry, 0);
    const review = summarizePreview(digest, { now: NOW, requireExpiryForPrivileged: true });
    assert.deepEqual(
      granted(review)
        .filter((c) => c.role.expiryRequired)
        .map((c) => c.role.id),
      ["administrator"],
    );
    assert.equal(review.totals.privilegedWithoutExpiry, 1);
    assert.ok(renderMarkdown(review).includes("— ⚠ no `expiresAt` (required for privileged roles)"));
  });

  it("lists a kept role whose deadline changes as an expiry change, not as a grant", () => {
    const old = [{ id: "help-desk", expiresAt: iso(NOW + DAY) }];
    const next = [{ id: "help-desk", expiresAt: iso(NOW + 30 * DAY) }];
    const review = summarizePreview(digestOf([updateStep("jc", jumpcloud(USER, old), jumpcloud(USER, next))]), { now: NOW });
    assert.deepEqual(granted(review), []);
    assert.deepEqual(revoked(review), []);
    assert.deepEqual(
      review.expiryEdits.map((e) => [e.role.id, e.from, e.to]),
      [["help-desk", iso(NOW + DAY), iso(NOW + 30 * DAY)]],
    );
    assert.equal(review.hasAccessChange, true);
    const md = renderMarkdown(review);
    assert.ok(md.includes("#### Expiry changes"), md);
    assert.ok(md.includes(`until \`${iso(NOW + DAY)}\` → until \`${iso(NOW + 30 * DAY)}\``), md);
  });

  it("with requireExpiryForPrivileged, flags a privileged role whose expiresAt is removed", () => {
    const old = [{ id: "administrator", expiresAt: iso(NOW + DAY) }];
    const step = updateStep("jc", jumpcloud(USER, old), jumpcloud(USER, [{ id: "administrator" }]));
    assert.equal(summarizePreview(digestOf([step]), { now: NOW }).totals.privilegedWithoutExpiry, 0);
    const review = summarizePreview(digestOf([step]), { now: NOW, requireExpiryForPrivileged: true });
    assert.equal(review.totals.privilegedWithoutExpiry, 1);
    assert.ok(
      renderMarkdown(review).includes("→ no expiry (`jc`) — ⚠ no `expiresAt` (required for privileged roles)"),
      renderMarkdown(review),
    );
  });

  describe("the command", () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "review-expiry-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    class Sink extends Writable {
      text = "";
      override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
        this.text += chunk.toString();
        done();
      }
    }
    async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      const stdin = new PassThrough();
      stdin.end();
      const [stdout, stderr] = [new Sink(), new Sink()];
      const code = await reviewCommand(args, { stdin, stdout, stderr });
      return { code, stdout: stdout.text, stderr: stderr.text };
    }

    it("exits 4 with --require-expiry-for-privileged on a privileged grant without expiresAt, still printing the review", async () => {
      const file = join(dir, "admin.json");
      writeFileSync(
        file,
        JSON.stringify(digestOf([assignmentStep("create", "jc-admin", { new: jumpcloud(USER, [{ id: "administrator" }]) })])),
      );
      const failing = await run([file, "--require-expiry-for-privileged"]);
      assert.equal(failing.code, 4, failing.stderr);
      assert.ok(failing.stdout.includes("⚠ no `expiresAt`"), failing.stdout);
      assert.match(failing.stderr, /1 privileged role is granted without expiresAt/);
      assert.equal((await run([file])).code, 0, "without the flag the review succeeds");
      const bounded = join(dir, "bounded.json");
      writeFileSync(
        bounded,
        JSON.stringify(
          digestOf([
            assignmentStep("create", "jc-admin", { new: jumpcloud(USER, [{ id: "administrator", expiresAt: "2099-01-01T00:00:00Z" }]) }),
          ]),
        ),
      );
      assert.equal((await run([bounded, "--require-expiry-for-privileged"])).code, 0);
    });

    it("refuses an --expiring-within that is not a whole number of days", async () => {
      const file = join(dir, "none.json");
      writeFileSync(file, JSON.stringify(digestOf([])));
      const bad = await run([file, "--expiring-within", "soon"]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--expiring-within needs a whole number of days/);
      assert.equal((await run([file, "--expiring-within", "14"])).code, 0);
    });
  });
});
