import { z } from "zod";
import { ACCOUNT_STATUSES, type SandboxState } from "./types";

const id = z.string().min(1, "must be a non-empty string");

const scoped = z.strictObject({ accountId: id, id, name: z.string() });

/** The zod schema of the state JSON; strict, so a misspelt key is reported rather than dropped. */
export const sandboxStateSchema = z.strictObject({
  accounts: z.array(
    z.strictObject({
      id,
      integration: id,
      status: z.enum(ACCOUNT_STATUSES).optional(),
      isSandbox: z.boolean().optional(),
      blocked: z.boolean().optional(),
    }),
  ),
  users: z.array(
    z.strictObject({
      accountId: id,
      id,
      name: z.string(),
      email: z.string(),
      status: z.string(),
      roles: z.array(z.strictObject({ id, workspace: id.optional(), organization: id.optional() })),
    }),
  ),
  roles: z.array(scoped),
  workspaces: z.array(scoped),
  organizations: z.array(scoped),
});

/** The outcome of checking a value against the state model: the state, or a message for a person. */
export type StateCheck = { ok: true; state: SandboxState } | { ok: false; message: string };

/** Checks shape and references (every record names a known account, ids are unique per account). */
export function checkState(value: unknown): StateCheck {
  const parsed = sandboxStateSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error) };
  const state = parsed.data as SandboxState;
  const problems = referenceProblems(state);
  return problems.length === 0 ? { ok: true, state } : { ok: false, message: problems.join("\n") };
}

function referenceProblems(state: SandboxState): string[] {
  const problems: string[] = [];
  const accounts = new Set<string>();
  for (const account of state.accounts) {
    if (accounts.has(account.id)) problems.push(`accounts: id "${account.id}" appears more than once`);
    accounts.add(account.id);
  }
  const collections = ["users", "roles", "workspaces", "organizations"] as const;
  for (const name of collections) {
    const seen = new Set<string>();
    state[name].forEach((record, index) => {
      if (!accounts.has(record.accountId)) {
        problems.push(`${name}[${index}]: accountId "${record.accountId}" is not in accounts`);
      }
      const key = JSON.stringify([record.accountId, record.id]);
      if (seen.has(key)) problems.push(`${name}[${index}]: id "${record.id}" appears more than once in its account`);
      seen.add(key);
    });
  }
  return problems;
}
