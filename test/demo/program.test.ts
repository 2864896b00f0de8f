/** runProgram (tools/engine/program.ts): a Pulumi program under mocks, as the demo and the example tests run it. */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../../tools/engine/program";

const LATE_CONFLICT = path.join(__dirname, "fixtures", "late-conflict");

describe("runProgram", () => {
  it("fails, naming the program, when a registration fails after the program returned", async () => {
    await assert.rejects(
      runProgram({ projectDir: LATE_CONFLICT }),
      /late-conflict[\\/]index\.ts failed under mocks: .*RoleAssignment "second" and RoleAssignment "first" both claim role "manager"/,
    );
  });

  it("leaves no stack config behind for the next program", async () => {
    await assert.rejects(runProgram({ projectDir: LATE_CONFLICT, config: { someKey: "v" } }));
    assert.deepEqual(pulumi.runtime.allConfig(), {});
  });

  it("says which directory lacks a Pulumi.yaml", async () => {
    await assert.rejects(runProgram({ projectDir: __dirname }), /No Pulumi\.yaml in .*test[\\/]demo/);
  });
});
