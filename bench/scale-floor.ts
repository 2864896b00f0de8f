/**
 * The floor of each scale operation (issue 14): the writes the rules require, one per assignment, one per
 * role on Slack Enterprise (its calls take a single role), plus, for a refresh, the pages needed to list each
 * account or Slack workspace once. Requests are measured against it; the once-per-process lookups (the
 * integrated account, Truto's description of a write method) are counted apart, as in the per-op counts.
 */
import {
  accountUsers,
  PAGE_SIZE,
  WORKSPACES,
  workspaceAssignments,
  type ScaleApp,
  type ScaleOrg,
  type ScaleResource,
} from "./scale-population";

/** The scale scenario's operations, in the order they run. */
export const SCALE_OPS = ["up", "refresh", "update", "destroy"] as const;
export type ScaleOp = (typeof SCALE_OPS)[number];

/** Writes one resource needs to hold `roles`, starting from nothing (a create) or ending with nothing (a destroy). */
export function wholeWrites(r: Pick<ScaleResource, "app" | "roles">): number {
  return r.app === "slackenterprise" ? r.roles.length : 1;
}

/**
 * Writes an update from `before` to `after` needs: on Slack one per role added or removed; elsewhere one
 * assign-role if anything is added, one unassign-role if anything is removed. Elastic's unassign revokes the whole
 * organization, so what stays is granted again, in the same single assign-role.
 */
export function updateWrites(before: Pick<ScaleResource, "app" | "roles">, after: Pick<ScaleResource, "app" | "roles">): number {
  const added = after.roles.filter((r) => !before.roles.includes(r)).length;
  const removed = before.roles.filter((r) => !after.roles.includes(r)).length;
  if (before.app === "slackenterprise") return added + removed;
  if (removed === 0) return added > 0 ? 1 : 0;
  const regrant = before.app === "elasticcloud" ? after.roles.length : added;
  return 1 + (regrant > 0 ? 1 : 0);
}

/** Pages to list `items` once, `pageSize` to a page (an empty list still takes one page). */
export function pagesFor(items: number, pageSize: number): number {
  return Math.max(1, Math.ceil(items / pageSize));
}

/** Per app: the resources an operation acts on and its floor. */
export type AppFloors = Record<ScaleApp, { resources: number; floor: number }>;

/** The floor of `op` on `org`, per app (the operations run in SCALE_OPS order, so refresh sees the created roles). */
export function floorsOf(org: ScaleOrg, op: ScaleOp): AppFloors {
  const by = (app: ScaleApp): { resources: number; floor: number } => {
    const mine = org.resources.filter((r) => r.app === app);
    const after = org.changed.filter((r) => r.app === app);
    switch (op) {
      case "up":
        return { resources: mine.length, floor: mine.reduce((s, r) => s + wholeWrites(r), 0) };
      case "destroy":
        return { resources: after.length, floor: after.reduce((s, r) => s + wholeWrites(r), 0) };
      case "update": {
        const pairs = mine.map((r, i) => [r, after[i]] as const).filter(([b, a]) => JSON.stringify(b.roles) !== JSON.stringify(a.roles));
        return { resources: pairs.length, floor: pairs.reduce((s, [b, a]) => s + updateWrites(b, a), 0) };
      }
      case "refresh":
        return {
          resources: mine.length,
          floor:
            app === "slackenterprise"
              ? Object.values(WORKSPACES).reduce(
                  (s, ws) => s + pagesFor(workspaceAssignments(org.resources, ws), PAGE_SIZE.role_assignments),
                  0,
                )
              : pagesFor(accountUsers(org), PAGE_SIZE.users),
        };
    }
  };
  return { slackenterprise: by("slackenterprise"), jumpcloud: by("jumpcloud"), elasticcloud: by("elasticcloud") };
}
