/**
 * Runs an example program under mocks (tools/engine/program.ts) and checks its ids against the sandbox
 * seed, so every example is known to run against the sandbox unchanged.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { packageRoot } from "../../tools/engine/package-root";
import { runProgram, type ProgramRun, type RegisteredResource } from "../../tools/engine/program";
import { checkInputs } from "../../src/provider/inputs";
import { defaultSeed } from "../../src/sandbox";

/** The type token every RoleAssignment registers. */
export const ROLE_ASSIGNMENT_TYPE = "pulumi-nodejs:dynamic/truto:RoleAssignment";

/** The repository's root, where the root Pulumi.yaml (the access stack) lives. */
export const ROOT = packageRoot();

/** An example's project directory by its folder name under examples/. */
export const exampleDir = (name: string): string => path.join(ROOT, "examples", name);

/** Runs the project in `projectDir`; the mock engine answers with the inputs and `heldRoles` = `roles`. */
export function runExample(projectDir: string, config: Record<string, string> = {}): Promise<ProgramRun> {
  return runProgram({ projectDir, stack: "test", config, mockState: ({ inputs }) => ({ ...inputs, heldRoles: inputs.roles }) });
}

/** A resource by name, failing with the names there are. */
export function resourceNamed(run: ProgramRun, name: string): RegisteredResource {
  const found = run.resources.find((r) => r.name === name);
  assert.ok(found, `no resource "${name}"; the program registered: ${run.resources.map((r) => r.name).join(", ")}`);
  return found;
}

/** The inputs the program declares: without the serialized provider and the name the class adds, for deepEqual. */
export function plainInputs(resource: RegisteredResource): Record<string, unknown> {
  const { __provider, resourceName, ...rest } = resource.inputs;
  assert.equal(typeof __provider, "string", `${resource.name} has no __provider text`);
  assert.match(__provider as string, /require\("pulumi-truto-access\/provider"\)/);
  assert.equal(resourceName, resource.name, "the class passes the resource's name to the provider");
  return rest;
}

/** Asserts the provider's own check accepts the resource's inputs, as `pulumi up` would. */
export function assertChecks(resource: RegisteredResource): void {
  assert.deepEqual(checkInputs(resource.inputs).failures, [], `${resource.name} fails the provider's check`);
}

/** Asserts the account, user, roles, workspace and organizations all exist in the sandbox's seed. */
export function assertInSeed(resource: RegisteredResource): void {
  const seed = defaultSeed();
  const i = resource.inputs as {
    integratedAccountId: string;
    integration: string;
    userId: string;
    workspaceId?: string;
    organizations?: { id: string }[];
    roles: { id: string }[];
  };
  const account = seed.accounts.find((a) => a.id === i.integratedAccountId);
  assert.ok(account, `${resource.name}: account ${i.integratedAccountId} is not in the seed`);
  assert.equal(account.integration, i.integration, `${resource.name}: account ${account.id} is ${account.integration}`);
  assert.ok(
    seed.users.some((u) => u.accountId === account.id && u.id === i.userId),
    `${resource.name}: user ${i.userId} is not in the seed`,
  );
  for (const role of i.roles) {
    assert.ok(
      seed.roles.some((r) => r.accountId === account.id && r.id === role.id),
      `${resource.name}: role ${role.id} is not in the seed`,
    );
  }
  if (i.workspaceId)
    assert.ok(
      seed.workspaces.some((w) => w.accountId === account.id && w.id === i.workspaceId),
      `${resource.name}: workspace ${i.workspaceId}`,
    );
  for (const org of i.organizations ?? []) {
    assert.ok(
      seed.organizations.some((o) => o.accountId === account.id && o.id === org.id),
      `${resource.name}: organization ${org.id}`,
    );
  }
}
