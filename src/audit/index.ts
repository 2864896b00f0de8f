/**
 * `audit`: live access (read through Truto, as `export` reads it) against what a stack manages.
 */
import type { TrutoClient } from "../truto/client";
import { readAccounts, type Progress } from "../export/live-access";
import { auditAccess, type AuditOptions, type AuditReport } from "./compare";
import { managedAssignments } from "./stack-state";

export { auditAccess, type AuditReport, type Finding } from "./compare";
export { managedAssignments, parseStackExportText, StackExportError, type ManagedAssignment } from "./stack-state";
export { renderAuditJson, renderAuditMarkdown, AUDIT_TITLE } from "./render";

/** Audits the stack export `json` (named `source` in errors) over its accounts plus `extraAccounts`. */
export async function auditStack(
  client: TrutoClient,
  json: unknown,
  source: string,
  extraAccounts: readonly string[],
  options: AuditOptions & { progress?: Progress } = {},
): Promise<AuditReport> {
  const { managed, unreadable } = managedAssignments(json, source);
  const seen = new Map<string, string>();
  for (const id of [...managed.map((m) => m.integratedAccountId), ...extraAccounts])
    if (!seen.has(id.trim().toLowerCase())) seen.set(id.trim().toLowerCase(), id.trim());
  const live = await readAccounts(client, [...seen.values()], options.progress);
  return auditAccess(live, managed, unreadable, options);
}
