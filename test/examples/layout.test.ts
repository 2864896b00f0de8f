/** What every example shares: a Pulumi.yaml for the TypeScript runtime, and imports of the public entry point only. */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { readProjectFile } from "../../tools/engine/project-file";
import { exampleDir, ROOT } from "./example-support";

const PROGRAMS = ["slack-enterprise", "jumpcloud", "elastic-cloud"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === "node_modules"
        ? []
        : tsFiles(path.join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe("examples", () => {
  for (const name of PROGRAMS) {
    it(`${name} is a Pulumi project running index.ts with the TypeScript runtime`, () => {
      const project = readProjectFile(exampleDir(name));
      assert.equal(project.main, path.join(exampleDir(name), "index.ts"));
      assert.match(
        readFileSync(path.join(exampleDir(name), "Pulumi.yaml"), "utf8"),
        /runtime:\s*\n\s+name: nodejs\s*\n\s+options:\s*\n\s+typescript: true/,
      );
    });
  }

  it("import only @pulumi/pulumi and the public entry point pulumi-truto-access", () => {
    const files = tsFiles(path.join(ROOT, "examples"));
    assert.ok(files.length >= 4, `found ${files.length} example files`);
    for (const file of files) {
      const specifiers = [...readFileSync(file, "utf8").matchAll(/(?:from\s+|require\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
      for (const s of specifiers)
        assert.ok(["@pulumi/pulumi", "pulumi-truto-access"].includes(s), `${path.relative(ROOT, file)} imports "${s}"`);
    }
  });
});
