import { strict as assert } from "node:assert";
import { renderMarkdown, summarizePreview, UNKNOWN_VALUE, type AccessReview, type AccessSection } from "../../src/review";
import { loadPreview, stepOf, type FixtureDigest } from "../fixtures/preview/load";

function review(name: string | FixtureDigest, privileged?: string[]): { result: AccessReview; md: string } {
  const digest = typeof name === "string" ? loadPreview(name) : name;
  const result = summarizePreview(digest, privileged ? { privileged } : {});
  return { result, md: renderMarkdown(result) };
}

function section(result: AccessReview, personLabel: string, app: string): AccessSection {
  const found = result.sections.find((s) => s.person.label === personLabel && s.app.label === app);
  assert.ok(
    found,
    `no section for ${personLabel} · ${app}; have ${result.sections.map((s) => `${s.person.label} · ${s.app.label}`).join(" | ")}`,
  );
  return found;
}

const ids = (changes: readonly { role: { id: string } }[]): string[] => changes.map((c) => c.role.id);

describe("review: summarizePreview and renderMarkdown", () => {
  describe("grants only", () => {
    it("grants every role of a new assignment to its user, with the workspace scope", () => {
      const { result } = review("grants-only.json");
      const slack = section(result, "U0A1ADA7 (new user)", "Slack Enterprise");
      assert.deepEqual(ids(slack.granted), ["Rl0A", "Rl0B"]);
      assert.deepEqual(
        slack.granted.map((c) => c.role.workspace),
        ["T0456ENG", "T0456ENG"],
      );
      assert.deepEqual(
        slack.granted.map((c) => c.cause),
        ["create", "create"],
      );
      assert.deepEqual(slack.revoked, []);
      const jc = section(result, "65a1c0ffee00000000000c03 (new user)", "JumpCloud");
      assert.deepEqual(ids(jc.granted), ["5f0c9a7e2b1d4c3a8e6f0b12"]);
      assert.deepEqual(result.totals, {
        people: 2,
        granted: 3,
        revoked: 0,
        replacements: 0,
        moves: 0,
        privilegedGranted: 0,
        privilegedRevoked: 0,
        mislabelled: 0,
        unknown: 0,
        secret: 0,
        unreadable: 0,
        notUnderstood: 0,
        expired: 0,
        privilegedWithoutExpiry: 0,
      });
      assert.equal(result.hasAccessChange, true);
    });

    it("renders a title, one summary line and one block per person and app", () => {
      const { md } = review("grants-only.json");
      const lines = md.split("\n");
      assert.equal(lines[0], "### Access review");
      assert.equal(lines[2], "**2 people gain 3 roles**");
      // Issue 12: a user only the new assignment knows reads as new, not as a bare "user U0A1ADA7".
      assert.ok(md.includes("#### `U0A1ADA7` (new user) · Slack Enterprise"), md);
      assert.ok(md.includes("- ➕ grants **Slack Platform Developer** (`Rl0B`) in workspace `T0456ENG`\n"), md);
      assert.ok(md.includes("- ➕ grants **Help Desk** (`5f0c9a7e2b1d4c3a8e6f0b12`)\n"), md);
      assert.ok(!md.includes("__provider") && !md.includes("exports.handler"), "the provider code is not access information");
    });
  });

  describe("revocations", () => {
    it("revokes every role of a deleted assignment and names the person from the old outputs", () => {
      const { result, md } = review("revocations-destroy.json");
      const grace = section(result, "Grace Hopper (grace@example.com)", "Slack Enterprise");
      assert.deepEqual(ids(grace.revoked), ["Rl0C"]);
      assert.equal(grace.revoked[0]?.role.privileged, true);
      const kat = section(result, "Katherine Johnson (katherine@example.com)", "Elastic Cloud");
      assert.deepEqual(ids(kat.revoked), ["billing-admin", "viewer"]);
      assert.equal(kat.revoked[0]?.role.organizationName, "Observability");
      assert.equal(result.totals.revoked, 3);
      assert.equal(result.totals.granted, 0);
      assert.equal(result.otherResources.total, 0, "the stack's own delete is not counted");
      assert.ok(md.includes("**2 people lose 3 roles**"), md);
      assert.ok(md.includes("#### Grace Hopper (`grace@example.com`) · Slack Enterprise"), md);
      assert.ok(md.includes("- ➖ revokes **Viewer** (`viewer`) in organization Observability (`org-7781`)"), md);
    });
  });

  describe("updates", () => {
    it("reports only the roles that were added or removed; a renamed role is no change", () => {
      const { result } = review("update-roles.json");
      const slack = section(result, "Ada Lovelace (ada@example.com)", "Slack Enterprise");
      assert.deepEqual(ids(slack.granted), ["Rl0D"]);
      assert.deepEqual(ids(slack.revoked), ["Rl0B"]);
      assert.deepEqual(
        [...slack.granted, ...slack.revoked].map((c) => c.cause),
        ["update", "update"],
      );
      const jc = section(result, "Ada Lovelace (ada@example.com)", "JumpCloud");
      assert.deepEqual(
        jc.granted.map((c) => [c.role.id, c.role.group]),
        [["sso-manager", "eng"]],
      );
      assert.deepEqual(jc.revoked, []);
      const kat = section(result, "Katherine Johnson (katherine@example.com)", "Elastic Cloud");
      assert.deepEqual(
        kat.granted.map((c) => [c.role.id, c.role.organization, c.role.organizationName]),
        [["editor", "org-9902", "Search"]],
      );
    });

    it("counts one person across apps by e-mail", () => {
      const { result, md } = review("update-roles.json");
      assert.equal(result.totals.people, 2);
      assert.ok(md.includes("**2 people gain 3 roles, lose 1; ⚠ 1 privileged role granted**"), md);
      assert.ok(md.includes("- ➕ grants **SSO Manager** (`sso-manager`) in group `eng`"), md);
      assert.ok(
        md.includes("- ➕ grants **Integrations Manager** (`Rl0D`) in workspace `T0456ENG` — ⚠ privileged\n"),
        "an opaque id is flagged by the role table",
      );
      assert.ok(md.includes("- ➖ revokes **Slack Platform Developer** (`Rl0B`) in workspace `T0456ENG`\n"), md);
    });

    it("renders the same text whatever order the steps arrive in", () => {
      for (const name of ["update-roles.json", "mixed.json", "unknowns.json", "secrets.json"]) {
        const digest = loadPreview(name);
        const reversed = { ...digest, steps: [...digest.steps].reverse() };
        assert.equal(review(reversed).md, review(name).md, name);
      }
    });
  });

  describe("replacements", () => {
    it("sees delete-before-create when delete-replaced comes first (--show-replacement-steps)", () => {
      const { result, md } = review("replace-steps.json");
      const elastic = result.replacements.find((r) => r.resource === "elastic-katherine");
      assert.ok(elastic);
      assert.equal(elastic.order, "delete-before-create");
      assert.equal(elastic.orderFrom, "steps");
      assert.deepEqual(elastic.reasons, ["organizations"]);
      assert.equal(elastic.moves, false);
      assert.deepEqual(
        elastic.kept.map((r) => [r.id, r.organization]),
        [["viewer", "org-7781"]],
      );
      const kat = section(result, "Katherine Johnson (katherine@example.com)", "Elastic Cloud");
      assert.deepEqual(ids(kat.granted), ["editor"]);
      assert.deepEqual(
        kat.granted.map((c) => c.cause),
        ["replace"],
      );
      assert.deepEqual(kat.revoked, [], "a role kept through the replacement is not a revocation");
      assert.ok(
        md.includes(
          "- 🔁 replaces `elastic-katherine` (delete-before-create, because `organizations` changes): keeps **Viewer** (`viewer`) in organization Observability (`org-7781`), but it lapses between the delete and the create",
        ),
        md,
      );
    });

    it("sees create-before-delete when create-replacement comes first, and a move to another account", () => {
      const { result, md } = review("replace-steps.json");
      const cs = result.replacements.find((r) => r.resource === "crowdstrike-ada");
      assert.ok(cs);
      assert.equal(cs.order, "create-before-delete");
      assert.equal(cs.moves, true);
      assert.deepEqual(cs.reasons, ["integratedAccountId"]);
      const before = result.sections.find((s) => s.person.email === "ada@example.com");
      assert.deepEqual(ids(before?.revoked ?? []), ["falcon_analyst"]);
      const after = result.sections.find((s) => s.app.integratedAccountId === "d8e0f2a4-6b8c-4d0e-9f2a-4b6c8d0e2f3a");
      assert.deepEqual(ids(after?.granted ?? []), ["falcon_administrator"]);
      assert.equal(result.totals.replacements, 2);
      assert.ok(md.includes("**3 people gain 2 roles, lose 1; 2 replacements; ⚠ 1 privileged role granted**"), md);
      assert.ok(md.includes("(create-before-delete, because `integratedAccountId` changes): the assignment moves to user"), md);
      assert.ok(md.includes("CrowdStrike (account `d8e0f2a4-6b8c-4d0e-9f2a-4b6c8d0e2f3a`)"), "two accounts of one app are told apart");
    });

    it("reads the order from the old state when only the replace step is shown", () => {
      const { result, md } = review("replace-default.json");
      const support = result.replacements.find((r) => r.resource === "slack-grace-support");
      assert.equal(support?.order, "delete-before-create", "oldState.pendingReplacement");
      assert.equal(support?.moves, false);
      const oncall = result.replacements.find((r) => r.resource === "jumpcloud-oncall");
      assert.equal(oncall?.order, "create-before-delete", "oldState.delete");
      assert.equal(oncall?.moves, true);
      const grace = section(result, "Grace Hopper (grace@example.com)", "Slack Enterprise");
      assert.deepEqual(
        grace.granted.map((c) => c.role.workspace),
        ["T0789SUP"],
      );
      assert.deepEqual(
        grace.revoked.map((c) => c.role.workspace),
        ["T0456ENG"],
      );
      assert.ok(
        md.includes("(delete-before-create, because `workspaceId` changes): the old assignment is deleted before the new one is created"),
        md,
      );
      assert.ok(md.includes("the assignment moves here from Grace Hopper (`grace@example.com`) · JumpCloud"), md);
    });

    it("falls back to the provider's rule (shared role means delete first) when the steps show no order", () => {
      const digest = loadPreview("replace-steps.json");
      digest.steps = digest.steps.filter((s) => s.op !== "delete-replaced" && s.op !== "create-replacement");
      for (const step of digest.steps) {
        delete step.oldState?.pendingReplacement;
        delete step.oldState?.delete;
      }
      const { result } = review(digest);
      const byName = new Map(result.replacements.map((r) => [r.resource, r]));
      assert.deepEqual(
        [byName.get("elastic-katherine")?.order, byName.get("elastic-katherine")?.orderFrom],
        ["delete-before-create", "provider-rule"],
      );
      assert.deepEqual(
        [byName.get("crowdstrike-ada")?.order, byName.get("crowdstrike-ada")?.orderFrom],
        ["create-before-delete", "provider-rule"],
      );
    });
  });

  describe("unknown values", () => {
    it("lists what is known only at `up` instead of guessing", () => {
      const { result } = review("unknowns.json");
      const unresolved = new Map(result.unresolved.map((u) => [u.resource, u.values]));
      assert.deepEqual(unresolved.get("jumpcloud-new-hire"), [{ path: "roles", reason: "unknown" }]);
      assert.deepEqual(unresolved.get("slack-contractor"), [{ path: "userId", reason: "unknown" }]);
      assert.deepEqual(unresolved.get("elastic-katherine"), [{ path: "roles[1].id", reason: "unknown" }]);
      assert.deepEqual(unresolved.get("crowdstrike-sec-oncall"), [{ path: "userId", reason: "unknown" }]);
      assert.equal(result.totals.unknown, 4);
      assert.ok(!result.sections.some((s) => s.resources.includes("jumpcloud-new-hire")), "no grant is invented for unknown roles");
      const kat = result.sections.find((s) => s.resources.includes("elastic-katherine"));
      assert.equal(kat, undefined, "with one new role unknown, no old role is claimed revoked");
    });

    it("moves a replaced assignment to a user known only at `up`", () => {
      const { result } = review("unknowns.json");
      const r = result.replacements.find((x) => x.resource === "slack-contractor");
      assert.equal(r?.moves, true);
      assert.equal(r?.to.person.hidden, "unknown");
      assert.equal(r?.from.person.label, "Ken Thompson (ken@example.com)");
      const ken = section(result, "Ken Thompson (ken@example.com)", "Slack Enterprise");
      assert.deepEqual(ids(ken.revoked), ["Rl0A"]);
      const cs = result.sections.find((s) => s.resources.includes("crowdstrike-sec-oncall"));
      assert.equal(cs?.person.hidden, "unknown");
      assert.deepEqual(ids(cs?.granted ?? []), ["falcon_administrator"]);
    });

    it("says so in the Markdown and never prints the sentinel", () => {
      const { md } = review("unknowns.json");
      assert.ok(!md.includes(UNKNOWN_VALUE), md);
      assert.ok(md.includes("#### Known only at `pulumi up`"), md);
      assert.ok(
        md.includes(
          "- `jumpcloud-new-hire` (new, `65a1c0ffee00000000000e05` (new user) · JumpCloud): `roles` is known only at `pulumi up`.",
        ),
        md,
      );
      assert.ok(md.includes("`roles[1].id` is known only at `pulumi up`."), md);
      assert.ok(md.includes("#### _a user known only at `pulumi up`_ · CrowdStrike"), md);
      assert.ok(md.includes("4 assignments with values known only at `pulumi up`"), md);
    });

    it("keeps a role whose scope is unknown, but does not compare it", () => {
      const digest = loadPreview("grants-only.json");
      const inputs = stepOf(digest, "slack-ada-t0456eng").newState?.inputs as Record<string, unknown>;
      inputs.workspaceId = UNKNOWN_VALUE;
      const { result, md } = review(digest);
      const slack = result.sections.find((s) => s.resources.includes("slack-ada-t0456eng"));
      assert.deepEqual(
        slack?.granted.map((c) => [c.role.id, c.role.hiddenScope]),
        [
          ["Rl0A", "unknown"],
          ["Rl0B", "unknown"],
        ],
      );
      assert.ok(md.includes("- ➕ grants **Channel Manager** (`Rl0A`) in a scope known only at `pulumi up`"), md);
    });
  });

  describe("secrets", () => {
    it("never prints a secret placeholder and says what is hidden", () => {
      const { result, md } = review("secrets.json");
      assert.ok(!md.includes("[secret]"), md);
      assert.ok(!JSON.stringify(result).includes("[secret]"), "the structured result holds no placeholder either");
      const hidden = new Map(result.unresolved.map((u) => [u.resource, u.values.map((v) => `${v.path}:${v.reason}`)]));
      assert.deepEqual(hidden.get("slack-vip"), ["userId:secret"], "a secret __provider is not access information");
      assert.deepEqual(hidden.get("jumpcloud-auditor"), ["roles:secret"]);
      assert.deepEqual(hidden.get("slack-ada-t0456eng"), ["remoteData.ticket:secret", "roles[1].name:secret"]);
      assert.equal(result.totals.secret, 3);
      assert.ok(md.includes("#### Hidden by secrets"), md);
      assert.ok(md.includes("`userId` is secret, so it is not shown."), md);
    });

    it("grants to a user whose id is secret, and shows a role whose name is secret by its id only", () => {
      const { result, md } = review("secrets.json");
      const vip = result.sections.find((s) => s.resources.includes("slack-vip"));
      assert.equal(vip?.person.hidden, "secret");
      assert.equal(vip?.person.userId, undefined);
      assert.deepEqual(ids(vip?.granted ?? []), ["Rl0B"]);
      const ada = section(result, "Ada Lovelace (ada@example.com)", "Slack Enterprise");
      assert.deepEqual(
        ada.granted.map((c) => [c.role.id, c.role.name]),
        [["Rl0E", undefined]],
      );
      assert.deepEqual(ids(ada.revoked), ["Rl0B"]);
      assert.ok(md.includes("#### _a user whose id is secret_ · Slack Enterprise"), md);
      assert.ok(md.includes("- ➕ grants `Rl0E` in workspace `T0456ENG`\n"), md);
      const auditor = result.sections.find((s) => s.resources.includes("jumpcloud-auditor"));
      assert.equal(auditor, undefined, "secret roles are not listed as revocations");
    });
  });

  describe("other resource types", () => {
    it("summarizes only RoleAssignments and counts the rest in one line", () => {
      const { result, md } = review("mixed.json");
      assert.deepEqual(result.otherResources, { total: 3, byOp: { create: 2, update: 1 } });
      assert.deepEqual(result.sections.map((s) => s.app.label).sort(), ["BlackLine", "TeamViewer"]);
      const bl = result.sections.find((s) => s.app.label === "BlackLine");
      assert.deepEqual(bl?.resources, ["finance-grace-blackline"], "a RoleAssignment under a component is found by its type");
      assert.ok(md.endsWith("Also in this preview: 3 other resources change (2 create, 1 update), not summarized here."), md);
      assert.equal(md.match(/other resource/g)?.length, 1);
      assert.equal(result.errorDiagnostics, 0, "info and warning diagnostics are not errors");
    });
  });

  describe("no access change", () => {
    it("says so in one line, counting other changes", () => {
      const { result, md } = review("no-access-change.json");
      assert.equal(result.hasAccessChange, false);
      assert.deepEqual(result.sections, []);
      assert.equal(md, "No access changes in this preview: no role is granted, revoked or replaced; 1 other resource changes (1 update).");
    });

    it("is one line for a preview with only the stack", () => {
      const digest = loadPreview("grants-only.json");
      digest.steps = digest.steps.filter((s) => s.op === "same");
      assert.equal(review(digest).md, "No access changes in this preview: no role is granted, revoked or replaced.");
    });

    it("mentions errors the preview reported, still in one line", () => {
      const { md } = review("failed-preview.json");
      assert.equal(md.split("\n").length, 1);
      assert.ok(md.includes("the preview reported 1 error, so this may be incomplete"), md);
      assert.ok(!md.includes("apiToken"), "diagnostic messages are not copied into the comment");
    });

    it("warns above a full review when the preview reported errors", () => {
      const digest = loadPreview("grants-only.json");
      digest.diagnostics = [{ message: "error: boom\n", severity: "error" }];
      const { result, md } = review(digest);
      assert.equal(result.errorDiagnostics, 1);
      assert.ok(md.includes("> ⚠ The preview reported 1 error, so this summary may be incomplete."), md);
    });
  });

  describe("privileged roles", () => {
    it("flags ids and names containing admin, owner, superuser, security or billing by default", () => {
      const { result, md } = review("privileged.json");
      const flagged = result.sections[0]?.granted.filter((c) => c.role.privileged).map((c) => c.role.id);
      assert.deepEqual(flagged, ["administrator", "bm", "org_owner", "sec-rev", "su"]);
      assert.equal(result.totals.privilegedGranted, 5);
      assert.ok(md.includes("- ➕ grants **Viewer** (`viewer`)\n"), "an ordinary role is not flagged");
      assert.ok(
        md.includes(
          "⚠ privileged: the app's role table lists the role's id as privileged, or its id or name contains one of `admin`, `owner`, `superuser`, `security`, `billing`",
        ),
        md,
      );
      assert.ok(
        md.includes("judged only by the id and the declared name: `bm`, `org_owner`, `sec-rev`, `su` and `viewer` (JumpCloud)."),
        md,
      );
    });

    it("adds a caller's words to the defaults, ignoring case and blanks", () => {
      const { result, md } = review("privileged.json", [" VIEWER ", ""]);
      assert.deepEqual(result.privilegedPatterns, ["admin", "owner", "superuser", "security", "billing", "viewer"]);
      const flagged = result.sections[0]?.granted.filter((c) => c.role.privileged).map((c) => c.role.id);
      assert.deepEqual(flagged, ["administrator", "bm", "org_owner", "sec-rev", "su", "viewer"]);
      assert.ok(md.includes("⚠ 6 privileged roles granted"), md);
    });

    it("keeps the defaults with an empty list", () => {
      const { result } = review("privileged.json", []);
      assert.equal(result.totals.privilegedGranted, 5);
    });
  });

  describe("Markdown safety", () => {
    it("escapes names so they cannot open links, emphasis or HTML in the comment", () => {
      const digest = loadPreview("revocations-destroy.json");
      const outputs = stepOf(digest, "slack-grace-t0456eng").oldState?.outputs as Record<string, unknown>;
      outputs.user = { id: "U0B2GRC9", name: "Eve *[click](https://evil.example)* <img src=x>\n# heading", email: "eve`@example.com" };
      const { md } = review(digest);
      assert.ok(md.includes("Eve \\*\\[click\\](https://evil.example)\\* \\<img src=x\\> \\# heading"), md);
      assert.ok(md.includes("(``eve`@example.com``)"), md);
    });
  });
});
