/**
 * The audit as Markdown (for an issue or a comment; every value escaped so a user name cannot inject
 * Markdown) or as JSON.
 */
import { code, count, text } from "../review/markdown-text";
import type { AuditReport, Finding } from "./compare";

/** The heading of the Markdown audit. */
export const AUDIT_TITLE = "Access audit";

function person(f: Finding): string {
  const parts = [f.userName ? text(f.userName) : undefined, f.email ? text(f.email) : undefined, code(f.userId)].filter(Boolean);
  return parts.join(" · ");
}

const named = (name: string | undefined, id: string) => (name ? `${text(name)} ${code(id)}` : code(id));

function row(f: Finding, withResource: boolean): string {
  const flags = [f.privileged ? "**privileged**" : "", f.expired ? "expired (the next `pulumi up` revokes it)" : ""]
    .filter(Boolean)
    .join(", ");
  const cells = [
    flags,
    person(f),
    `${text(f.app)} ${code(f.integratedAccountId)}`,
    f.scope ? named(f.scopeName, f.scope) : "account-wide",
    named(f.roleName, f.roleId),
  ];
  if (withResource) cells.push(f.resource ? code(f.resource) : "none");
  return `| ${cells.join(" | ")} |`;
}

function table(findings: readonly Finding[], resourceHeading: string): string[] {
  return [`| | Person | App | Where | Role | ${resourceHeading} |`, "|---|---|---|---|---|---|", ...findings.map((f) => row(f, true))];
}

/** The audit as Markdown. */
export function renderAuditMarkdown(report: AuditReport): string {
  const privileged = report.outOfBand.filter((f) => f.privileged).length;
  const lines = [
    `## ${AUDIT_TITLE}`,
    "",
    `Live access in ${count(report.accounts.length, "account")} compared with ${count(report.resources, "RoleAssignment")} of the stack (${count(report.declaredRoles, "declared role")}): ` +
      `**${count(report.outOfBand.length, "out-of-band role")}**${privileged ? ` (${privileged} privileged)` : ""}, **${count(report.drift.length, "drifted role")}**.`,
  ];
  if (report.outOfBand.length === 0 && report.drift.length === 0)
    lines.push("", "No out-of-band roles and no drift: live access matches the stack.");
  if (report.outOfBand.length) {
    lines.push(
      "",
      "### Out of band: held, but no RoleAssignment declares them",
      "",
      "Granted outside the stack; declare them (`pulumi-truto-access export` writes them as code) or revoke them.",
      "",
    );
    lines.push(...table(report.outOfBand, "Managed by"));
  }
  if (report.drift.length) {
    lines.push(
      "",
      "### Drift: declared, but no longer held",
      "",
      "Revoked outside the stack; `pulumi up` grants them again, or take them out of the program.",
      "",
    );
    lines.push(...table(report.drift, "Declared by"));
  }
  if (report.unreadable.length) {
    lines.push("", `### Not audited: ${count(report.unreadable.length, "RoleAssignment")}`, "");
    for (const u of report.unreadable) lines.push(`- ${code(u.urn)}: ${text(u.why)}`);
  }
  lines.push(
    "",
    `Accounts: ${report.accounts.map((a) => `${text(a.app)} ${code(a.integratedAccountId)} (${count(a.users, "user")}, ${count(a.heldRoles, "held role")})`).join("; ") || "none"}.`,
  );
  return lines.join("\n");
}

/** The audit as JSON. */
export function renderAuditJson(report: AuditReport): string {
  return `${JSON.stringify(
    {
      totals: {
        accounts: report.accounts.length,
        resources: report.resources,
        declaredRoles: report.declaredRoles,
        outOfBand: report.outOfBand.length,
        privilegedOutOfBand: report.outOfBand.filter((f) => f.privileged).length,
        drift: report.drift.length,
        unreadable: report.unreadable.length,
      },
      ...report,
    },
    null,
    2,
  )}\n`;
}
