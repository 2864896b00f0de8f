/**
 * The README's per-integration placement table is the rules table's, word for word: a change to
 * src/integrations/rules.ts that is not written to the README (npm run docs:tables) fails here.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../src/integrations/rules";
import { placementTable } from "../../tools/docs/integration-table";

const README = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");

describe("README: the per-integration placement table", () => {
  it("is exactly what the rules table says (run `npm run docs:tables` after changing src/integrations/rules.ts)", () => {
    assert.ok(README.includes(placementTable()), `README.md differs from the rules table; expected:\n${placementTable()}`);
  });

  it("has one row per integration, naming where each field goes and which page says so", () => {
    const table = placementTable();
    for (const rule of Object.values(RULES)) assert.match(table, new RegExp(`^\\| ${rule.displayName} \`${rule.slug}\` \\|`, "m"));
    assert.match(table, /\| CrowdStrike `crowdstrike` \| — \| `id` supported \[2\], `roles` supported \[2\] \|/);
    assert.match(table, /\| TeamViewer `teamviewer` \| — \| `id` supported \[i\], `roles` supported \[2\] \|/);
  });
});
