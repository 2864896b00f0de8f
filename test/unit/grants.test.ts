/**
 * Role identity and the concrete grants a declared role stands for once the integration's scope is
 * filled in.
 */
import { strict as assert } from "node:assert";
import { RULES } from "../../src/integrations/rules";
import {
  confirmable,
  grantsOf,
  heldPart,
  narrowRole,
  uncoveredPart,
  isHeld,
  roleAnyHeld,
  roleHeld,
  roleKey,
  rolesMissingFrom,
  sortRoles,
  strip,
  type AssignmentScope,
} from "../../src/integrations/grants";

const ACCOUNT = "62f44730-dd91-461e-bd6a-aedd9e0ad79d";
const slackScope: AssignmentScope = { integratedAccountId: ACCOUNT, userId: "U1", workspaceId: "T1" };
const elasticScope: AssignmentScope = {
  integratedAccountId: ACCOUNT,
  userId: "e1",
  organizations: [{ id: "o1" }, { id: "o2", name: "Two" }],
};
const plainScope: AssignmentScope = { integratedAccountId: ACCOUNT, userId: "j1" };

describe("grants", () => {
  describe("roleKey", () => {
    it("ignores the role's name", () => {
      assert.equal(roleKey({ id: "a", name: "Admin" } as never), roleKey({ id: "a" }));
    });

    it("tells apart roles that differ in group, organization or workspace", () => {
      const keys = new Set([
        roleKey({ id: "a" }),
        roleKey({ id: "a", group: "g" }),
        roleKey({ id: "a", organization: "g" }),
        roleKey({ id: "a", workspace: "g" }),
      ]);
      assert.equal(keys.size, 4);
    });

    it("cannot be confused by separators inside values", () => {
      assert.notEqual(roleKey({ id: "a,b", group: "c" }), roleKey({ id: "a", group: "b,c" }));
    });
  });

  describe("sortRoles", () => {
    it("gives the same order whatever order the roles came in, without touching the input", () => {
      const input = [{ id: "b" }, { id: "a", group: "z" }, { id: "a" }];
      const copy = structuredClone(input);
      const sorted = sortRoles(input);
      assert.deepEqual(sorted, sortRoles([...input].reverse()));
      assert.deepEqual(sorted, [{ id: "a" }, { id: "a", group: "z" }, { id: "b" }]);
      assert.deepEqual(input, copy);
    });
  });

  describe("grantsOf", () => {
    it("puts a Slack role in the resource's workspace", () => {
      assert.deepEqual(grantsOf(RULES.slackenterprise, slackScope, { id: "r1" }), [{ id: "r1", workspace: "T1" }]);
    });

    it("grants an Elastic role without its own organization in every organization of the scope", () => {
      assert.deepEqual(grantsOf(RULES.elasticcloud, elasticScope, { id: "viewer" }), [
        { id: "viewer", organization: "o1" },
        { id: "viewer", organization: "o2" },
      ]);
    });

    it("keeps an Elastic role's own organization", () => {
      assert.deepEqual(grantsOf(RULES.elasticcloud, elasticScope, { id: "viewer", organization: "o2" }), [
        { id: "viewer", organization: "o2" },
      ]);
    });

    it("leaves a JumpCloud role as its id alone: no name, no undefined fields, no scope its read-back cannot confirm", () => {
      const grants = grantsOf(RULES.jumpcloud, plainScope, { id: "admin", name: "Admin", group: "g", organization: undefined });
      assert.deepEqual(grants, [{ id: "admin" }]);
      assert.deepEqual(Object.keys(grants[0]), ["id"]);
    });

    it("keeps only the scope fields each integration's read-back confirms", () => {
      const role = { id: "r", group: "g", organization: "o2", workspace: "T9" };
      assert.deepEqual(grantsOf(RULES.slackenterprise, slackScope, role), [{ id: "r", workspace: "T9" }]);
      assert.deepEqual(grantsOf(RULES.elasticcloud, elasticScope, role), [{ id: "r", organization: "o2" }]);
      assert.deepEqual(grantsOf(RULES.teamviewer, plainScope, role), [{ id: "r" }]);
    });
  });

  describe("confirmable", () => {
    it("drops the scope fields the read-back cannot report and keeps the id and the name", () => {
      assert.deepEqual(confirmable(RULES.jumpcloud, { id: "manager", name: "Manager", group: "g" }), { id: "manager", name: "Manager" });
      assert.deepEqual(confirmable(RULES.elasticcloud, { id: "v", organization: "o1", workspace: "T1" }), { id: "v", organization: "o1" });
    });
  });

  describe("narrowRole, heldPart and uncoveredPart", () => {
    const viewer = { id: "viewer", name: "Viewer" };

    it("keeps a role whole when every grant passes, and leaves it out when none does", () => {
      assert.deepEqual(
        heldPart(
          RULES.elasticcloud,
          elasticScope,
          [viewer],
          [
            { id: "viewer", organization: "o1" },
            { id: "viewer", organization: "o2" },
          ],
        ),
        [viewer],
      );
      assert.deepEqual(heldPart(RULES.elasticcloud, elasticScope, [viewer], []), []);
    });

    it("pins an Elastic role held in some organizations to those organizations, keeping its name", () => {
      assert.deepEqual(heldPart(RULES.elasticcloud, elasticScope, [viewer], [{ id: "viewer", organization: "o2" }]), [
        { ...viewer, organization: "o2" },
      ]);
      assert.deepEqual(
        narrowRole(RULES.elasticcloud, elasticScope, viewer, (g) => g.organization === "o1"),
        [{ ...viewer, organization: "o1" }],
      );
    });

    it("finds the grants another list of roles does not cover", () => {
      const pinned = [{ id: "viewer", organization: "o2" }];
      assert.deepEqual(uncoveredPart(RULES.elasticcloud, elasticScope, [viewer], pinned), [{ ...viewer, organization: "o1" }]);
      assert.deepEqual(uncoveredPart(RULES.elasticcloud, elasticScope, pinned, [viewer]), []);
      assert.deepEqual(
        uncoveredPart(RULES.jumpcloud, plainScope, [{ id: "m", group: "g" }], [{ id: "m" }]),
        [],
        "equal on the confirmable key",
      );
    });
  });

  describe("isHeld", () => {
    it("matches on id and every scope field the grant names", () => {
      const held = [{ id: "r1", workspace: "T1", group: "g" }];
      assert.equal(isHeld({ id: "r1", workspace: "T1" }, held), true);
      assert.equal(isHeld({ id: "r1" }, held), true);
      assert.equal(isHeld({ id: "r1", workspace: "T2" }, held), false);
      assert.equal(isHeld({ id: "r2", workspace: "T1" }, held), false);
      assert.equal(isHeld({ id: "r1", group: "h" }, held), false);
    });
  });

  describe("roleHeld and roleAnyHeld", () => {
    const held = [{ id: "viewer", organization: "o1" }];

    it("counts an Elastic role as held only when it is held in every organization", () => {
      assert.equal(roleHeld(RULES.elasticcloud, elasticScope, { id: "viewer" }, held), false);
      assert.equal(roleHeld(RULES.elasticcloud, elasticScope, { id: "viewer" }, [...held, { id: "viewer", organization: "o2" }]), true);
    });

    it("counts an Elastic role as still present when any organization holds it", () => {
      assert.equal(roleAnyHeld(RULES.elasticcloud, elasticScope, { id: "viewer" }, held), true);
      assert.equal(roleAnyHeld(RULES.elasticcloud, elasticScope, { id: "viewer" }, []), false);
    });

    it("does not count a Slack role held in another workspace", () => {
      assert.equal(roleHeld(RULES.slackenterprise, slackScope, { id: "r1" }, [{ id: "r1", workspace: "T2" }]), false);
    });
  });

  describe("strip", () => {
    it("drops undefined values and keeps falsy ones", () => {
      assert.deepEqual(strip({ a: undefined, b: "", c: 0, d: null, e: false }), { b: "", c: 0, d: null, e: false });
    });
  });

  describe("rolesMissingFrom", () => {
    it("returns the roles whose key is absent, ignoring names", () => {
      const a = [{ id: "x", name: "X" }, { id: "y" }, { id: "x", group: "g" }];
      assert.deepEqual(rolesMissingFrom(a, [{ id: "x" }]), [{ id: "y" }, { id: "x", group: "g" }]);
    });
  });
});
