import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KNOWN_ROLES, knownRole } from "../../src/integrations/known-roles";
import { INTEGRATIONS } from "../../src/integrations/rules";
import { renderMarkdown, summarizePreview, type AccessReview, type RoleChange } from "../../src/review";
import { defaultSeed, SEED_IDS } from "../../src/sandbox/seed";
import { assignmentStep, digestOf, jumpcloud, slack } from "../fixtures/preview/build";

function reviewOf(roles: Parameters<typeof slack>[1], privileged?: string[]): { result: AccessReview; md: string } {
  const digest = digestOf([assignmentStep("create", "slack-ada", { new: slack("U0A1ADA7", roles) })]);
  const result = summarizePreview(digest, privileged ? { privileged } : {});
  return { result, md: renderMarkdown(result) };
}

const granted = (result: AccessReview): RoleChange[] => result.sections.flatMap((s) => s.granted);

describe("review: privileged roles by id", () => {
  it("flags an opaque Slack role id the table knows as privileged, and names it", () => {
    const { result, md } = reviewOf([{ id: "Rl0J" }]);
    assert.deepEqual(
      granted(result).map((c) => [c.role.id, c.role.privileged, c.role.knownName]),
      [["Rl0J", true, "Security Admin"]],
    );
    assert.equal(result.totals.privilegedGranted, 1);
    assert.ok(md.includes("- ➕ grants **Security Admin** (`Rl0J`) in workspace `T0456ENG` — ⚠ privileged\n"), md);
  });

  it("flags a declared name that is not the vendor's name for the id, and the label hides nothing", () => {
    const { result, md } = reviewOf([{ id: "Rl0J", name: "Read Only" }]);
    const [change] = granted(result);
    assert.equal(change?.role.privileged, true);
    assert.equal(change?.role.mislabelled, true);
    assert.equal(result.totals.mislabelled, 1);
    assert.ok(
      md.includes(
        '**Security Admin** (`Rl0J`) in workspace `T0456ENG` — ⚠ privileged — ⚠ declared as "Read Only" but `Rl0J` is Security Admin',
      ),
      md,
    );
    assert.ok(md.includes("⚠ 1 mislabelled role"), md);
  });

  it("judges a known id by the table and its real name, not by a declared name that says otherwise", () => {
    const { result, md } = reviewOf([{ id: "Rl0A", name: "Super Admin" }]);
    const [change] = granted(result);
    assert.equal(change?.role.privileged, false, "Rl0A is Channel Manager whatever the program calls it");
    assert.equal(change?.role.mislabelled, true);
    assert.ok(md.includes('— ⚠ declared as "Super Admin" but `Rl0A` is Channel Manager'), md);
  });

  it("accepts a declared name that differs from the vendor's only in case, spaces or punctuation", () => {
    const digest = digestOf([
      assignmentStep("create", "jc-bob", { new: jumpcloud("64a1f0c2e4b0a1a1a1a1a002", [{ id: "read-only", name: " read-only " }]) }),
    ]);
    const result = summarizePreview(digest);
    assert.equal(granted(result)[0]?.role.mislabelled, undefined);
    assert.equal(result.totals.mislabelled, 0);
  });

  it("flags a role the table knows as privileged although no privileged word is in its name", () => {
    const digest = digestOf([
      assignmentStep("create", "jc-bob", { new: jumpcloud("64a1f0c2e4b0a1a1a1a1a002", [{ id: "command-runner" }]) }),
    ]);
    const result = summarizePreview(digest);
    assert.deepEqual(
      granted(result).map((c) => [c.role.knownName, c.role.privileged, c.role.privilegedBy]),
      [["Command Runner", true, "role-table"]],
    );
  });

  it("says which roles are not in the table, so a harmless-looking unknown id is not taken on trust", () => {
    const { result, md } = reviewOf([{ id: "Rl0Z", name: "Read Only" }]);
    const [change] = granted(result);
    assert.equal(change?.role.privileged, false);
    assert.equal(change?.role.catalog, "unknown");
    assert.ok(md.includes("Not in this tool's role table, so judged only by the id and the declared name: `Rl0Z` (Slack Enterprise)."), md);
  });

  it("adds --privileged words to the defaults instead of replacing them (issue 12)", () => {
    const { result } = reviewOf([{ id: "Rl0J" }, { id: "Rl0X", name: "Org Owner" }, { id: "Rl0Y", name: "Viewer" }], ["viewer"]);
    assert.deepEqual(result.privilegedPatterns, ["admin", "owner", "superuser", "security", "billing", "viewer"]);
    assert.deepEqual(
      granted(result)
        .filter((c) => c.role.privileged)
        .map((c) => c.role.id)
        .sort(),
      ["Rl0J", "Rl0X", "Rl0Y"],
    );
  });
});

describe("integrations: known roles", () => {
  it("knows every role the sandbox seeds, by the seed's id and name", () => {
    const seed = defaultSeed();
    const slugOf = new Map(seed.accounts.map((a) => [a.id, a.integration]));
    for (const role of seed.roles) {
      const slug = slugOf.get(role.accountId) ?? "";
      assert.equal(knownRole(slug, role.id)?.name, role.name, `${slug} ${role.id}`);
    }
    assert.equal(knownRole("slackenterprise", SEED_IDS.slackenterprise.roles.securityAdmin)?.privileged, true);
  });

  it("has a row for every integration, and Slack's ids from the vendor's role table", () => {
    assert.deepEqual(Object.keys(KNOWN_ROLES).sort(), [...INTEGRATIONS].sort());
    assert.deepEqual(
      ["Rl0L", "Rl0C", "Rl01", "Rl0A", "Rl05", "Rl09", "Rl0F", "Rl0D", "Rl02", "Rl0G", "Rl0J", "Rl0B", "Rl03", "Rl0K"].map(
        (id) => knownRole("slackenterprise", id)?.name,
      ),
      [
        "Analytics Admin",
        "Audit Logs Admin",
        "Channel Admin",
        "Channel Manager",
        "Conversation Admin",
        "DLP Admin",
        "Exports Admin",
        "Integrations Manager",
        "Role Admin",
        "Sales Admin",
        "Security Admin",
        "Slack Platform Developer",
        "User Admin",
        "Workflow Admin",
      ],
    );
  });

  it("never mistakes an Object property for a role", () => {
    for (const id of ["constructor", "__proto__", "toString", "hasOwnProperty"]) assert.equal(knownRole("jumpcloud", id), undefined, id);
    assert.equal(knownRole("constructor", "administrator"), undefined);
  });

  it("is read by the review without the sandbox: no shipped review or integrations file imports it", () => {
    const root = join(__dirname, "..", "..", "src");
    for (const dir of ["review", "integrations"]) {
      for (const file of readdirSync(join(root, dir))) {
        assert.doesNotMatch(readFileSync(join(root, dir, file), "utf8"), /from "\.\.\/sandbox/, `${dir}/${file}`);
      }
    }
  });
});
