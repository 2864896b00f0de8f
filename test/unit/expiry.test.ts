/**
 * Time-bound access at the edge and in the diff: `expiresAt` is validated and normalised by check, an added
 * role may not have expired, and diff (with the clock injected) plans the update that revokes a role once its
 * time has passed, and no change after state records it as expired.
 */
import { strict as assert } from "node:assert";
import { checkInputs } from "../../src/provider/inputs";
import { diffInputs } from "../../src/provider/diff";
import { canonicalInstant, splitByExpiry } from "../../src/provider/expiry";

const ACCOUNT = "62f44730-dd91-461e-bd6a-aedd9e0ad79d";
const NOW = Date.parse("2026-12-01T12:00:00Z");
const HOUR = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

type Props = Record<string, unknown>;
const jumpcloud = (over: Props = {}): Props => ({
  integratedAccountId: ACCOUNT,
  integration: "jumpcloud",
  userId: "j1",
  roles: [{ id: "admin" }],
  ...over,
});

/** What state holds after an up at `when`: the checked inputs plus the expiry outputs the lifecycle writes. */
function stateAt(inputs: Props, when: number): Props {
  const checked = checkInputs(inputs, {}, Math.min(when, NOW)).inputs;
  const { active, expired } = splitByExpiry(checked.roles as never, checked.expiresAt as string | undefined, when);
  return { ...checked, activeRoles: active, expiredRoles: expired, heldRoles: active };
}

describe("expiry", () => {
  describe("check", () => {
    it("normalises expiresAt to the canonical UTC form, so formatting is never a diff", () => {
      const { inputs, failures } = checkInputs(
        jumpcloud({
          expiresAt: "2026-12-08T18:00+01:00",
          roles: [{ id: "admin", expiresAt: "2026-12-09T17:00:00.000+00:00" }, { id: "user" }],
        }),
        {},
        NOW,
      );
      assert.deepEqual(failures, []);
      assert.equal(inputs.expiresAt, "2026-12-08T17:00:00Z");
      assert.deepEqual(inputs.roles, [{ id: "admin", expiresAt: "2026-12-09T17:00:00Z" }, { id: "user" }]);
    });

    it("refuses a malformed role expiresAt, naming the property and showing the format", () => {
      const { failures } = checkInputs(jumpcloud({ roles: [{ id: "user" }, { id: "admin", expiresAt: "next friday" }] }), {}, NOW);
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.equal(failures[0].property, "roles[1].expiresAt");
      assert.match(failures[0].reason, /ISO 8601/);
      assert.match(failures[0].reason, /2026-12-08T17:00:00Z/);
    });

    it("refuses a time without an offset, a day that does not exist, and a non-string", () => {
      for (const bad of ["2026-12-08T17:00:00", "2026-02-30T10:00:00Z", "2026-12-08", 1765213200000]) {
        const { failures } = checkInputs(jumpcloud({ expiresAt: bad }), {}, NOW);
        assert.deepEqual(
          failures.map((f) => f.property),
          ["expiresAt"],
          `${JSON.stringify(bad)}: ${JSON.stringify(failures)}`,
        );
        assert.match(failures[0].reason, /2026-12-08T17:00:00Z/);
      }
    });

    it("refuses a past expiresAt on a new resource, at the property that set it", () => {
      const own = checkInputs(jumpcloud({ roles: [{ id: "admin", expiresAt: at(NOW - HOUR) }] }), {}, NOW).failures;
      assert.deepEqual(
        own.map((f) => f.property),
        ["roles[0].expiresAt"],
      );
      assert.match(own[0].reason, /already passed/);
      const inherited = checkInputs(jumpcloud({ expiresAt: at(NOW - HOUR) }), {}, NOW).failures;
      assert.deepEqual(
        inherited.map((f) => f.property),
        ["expiresAt"],
      );
    });

    it("a role's own expiresAt wins over the resource's", () => {
      const { failures } = checkInputs(
        jumpcloud({ expiresAt: at(NOW - HOUR), roles: [{ id: "admin", expiresAt: at(NOW + HOUR) }] }),
        {},
        NOW,
      );
      assert.deepEqual(failures, []);
    });

    it("refuses a past expiresAt only on a role being added, not on one the old inputs already list", () => {
      const olds = checkInputs(jumpcloud({ roles: [{ id: "admin", expiresAt: at(NOW + HOUR) }] }), {}, NOW).inputs;
      const later = NOW + 2 * HOUR;
      const kept = checkInputs(jumpcloud({ roles: [{ id: "admin", expiresAt: at(NOW + HOUR) }] }), olds, later);
      assert.deepEqual(kept.failures, []);
      const added = checkInputs(
        jumpcloud({
          roles: [
            { id: "admin", expiresAt: at(NOW + HOUR) },
            { id: "user", expiresAt: at(NOW) },
          ],
        }),
        olds,
        later,
      );
      assert.deepEqual(
        added.failures.map((f) => f.property),
        ["roles[1].expiresAt"],
      );
    });

    it("suggests expiresAt for a misspelt role property", () => {
      const { failures } = checkInputs(jumpcloud({ roles: [{ id: "admin", expiresAT: at(NOW + HOUR) }] }), {}, NOW);
      assert.equal(failures[0].property, "roles[0].expiresAT");
      assert.match(failures[0].reason, /did you mean "expiresAt"/);
    });
  });

  describe("canonicalInstant", () => {
    it("keeps milliseconds only when they are not zero", () => {
      assert.equal(canonicalInstant("2026-12-08T17:00:00.250Z"), "2026-12-08T17:00:00.250Z");
      assert.equal(canonicalInstant("2026-12-08t17:00:00z"), "2026-12-08T17:00:00Z");
      assert.equal(canonicalInstant("2026-12-08T17:00:00+25:00"), undefined);
    });
  });

  describe("diff", () => {
    const program = jumpcloud({ roles: [{ id: "admin", expiresAt: at(NOW + HOUR) }, { id: "user" }] });

    it("shows no change while the role is active", () => {
      assert.equal(diffInputs(stateAt(program, NOW), checkInputs(program, {}, NOW).inputs, NOW + HOUR - 1).changes, false);
    });

    it("plans an update (not a replace) once the role's time has passed", () => {
      const d = diffInputs(stateAt(program, NOW), checkInputs(program, {}, NOW).inputs, NOW + HOUR);
      assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("shows no change after state records the role as expired", () => {
      const after = stateAt(program, NOW + HOUR);
      assert.deepEqual(
        (after.expiredRoles as Props[]).map((r) => r.id),
        ["admin"],
      );
      assert.equal(diffInputs(after, checkInputs(program, {}, NOW).inputs, NOW + 2 * HOUR).changes, false);
    });

    it("plans an update while state still holds an expired role (a refresh found it held)", () => {
      const after = { ...stateAt(program, NOW + HOUR), heldRoles: [{ id: "admin" }, { id: "user" }] };
      assert.equal(diffInputs(after, checkInputs(program, {}, NOW).inputs, NOW + 2 * HOUR).changes, true);
    });

    it("plans an update when the resource-level expiresAt passes", () => {
      const whole = jumpcloud({ expiresAt: at(NOW + HOUR) });
      assert.equal(diffInputs(stateAt(whole, NOW), checkInputs(whole, {}, NOW).inputs, NOW + HOUR).changes, true);
    });

    it("renewing (editing expiresAt) is an update, and a reformatted date is none", () => {
      const renewed = jumpcloud({ roles: [{ id: "admin", expiresAt: at(NOW + 48 * HOUR) }, { id: "user" }] });
      assert.equal(diffInputs(stateAt(program, NOW), checkInputs(renewed, {}, NOW).inputs, NOW).changes, true);
      const reformatted = jumpcloud({ roles: [{ id: "admin", expiresAt: "2026-12-01T14:00:00+01:00" }, { id: "user" }] });
      assert.equal(diffInputs(stateAt(program, NOW), checkInputs(reformatted, {}, NOW).inputs, NOW).changes, false);
    });

    it("renewing an expired role to a later time plans the update that grants it again", () => {
      const renewed = jumpcloud({ roles: [{ id: "admin", expiresAt: at(NOW + 48 * HOUR) }, { id: "user" }] });
      const after = stateAt(program, NOW + HOUR);
      const news = checkInputs(renewed, after, NOW + 2 * HOUR).inputs;
      assert.deepEqual(checkInputs(renewed, after, NOW + 2 * HOUR).failures, []);
      assert.equal(diffInputs(after, news, NOW + 2 * HOUR).changes, true);
    });

    it("a state written before expiry existed (no expiredRoles) shows no change for roles without expiresAt", () => {
      const old = { ...checkInputs(jumpcloud(), {}, NOW).inputs, heldRoles: [{ id: "admin" }] };
      assert.equal(diffInputs(old, checkInputs(jumpcloud(), {}, NOW).inputs, NOW).changes, false);
    });
  });
});
