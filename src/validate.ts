/**
 * `validate()`: the checks `pulumi preview` runs on a RoleAssignment's inputs (the provider's `check`), callable
 * from a program's own unit tests. Under `pulumi.runtime.setMocks` no provider runs, so `check` never does; a
 * test calls this on the plain arguments it passes to the resource instead.
 */
import { checkInputs, type CheckFailure } from "./provider/inputs";

export type { CheckFailure };

/** What {@link validate} found: `failures` name the property (`roles[1].id`) and say what to do. */
export interface ValidationResult {
  readonly ok: boolean;
  readonly failures: readonly CheckFailure[];
}

/**
 * Validates a RoleAssignment's arguments, given as plain values (no `pulumi.Output`), exactly as `check` does at
 * preview: the same code, the same messages. A role whose `expiresAt` has passed counts as being added.
 *
 * ```ts
 * assert.deepEqual(validate({ integratedAccountId, integration: "slackenterprise", userId: "U1", roles: [{ id: "Rl0A" }] }).failures,
 *   [{ property: "workspaceId", reason: "Slack Enterprise needs workspaceId: …" }]);
 * ```
 */
export function validate(args: object): ValidationResult {
  const { failures } = checkInputs({ ...(args as Record<string, unknown>) });
  return { ok: failures.length === 0, failures };
}
