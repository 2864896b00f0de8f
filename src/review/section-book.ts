/**
 * Collects role changes per person and app while the preview is read, and hands them back sorted.
 */
import { compareRoleOrder, compareText } from "./order";
import type { AccessSection, AssignmentTarget, ChangeCause, Replacement, RoleChange, RoleRef } from "./types";

// Named people first, then bare user ids, then users the preview cannot name.
function personRank(person: AccessSection["person"]): number {
  return person.hidden ? 2 : person.name || person.email ? 0 : 1;
}

interface Draft {
  readonly person: AccessSection["person"];
  readonly app: AccessSection["app"];
  readonly granted: RoleChange[];
  readonly revoked: RoleChange[];
  readonly replacements: Replacement[];
  readonly resources: Set<string>;
}

/** A mutable collection of {@link AccessSection}s keyed by person and app. */
export class SectionBook {
  private readonly drafts = new Map<string, Draft>();

  /** Records that `resource` grants `role` to the target's person in its app. */
  grant(target: AssignmentTarget, role: RoleRef, resource: string, cause: ChangeCause): void {
    this.draft(target, resource).granted.push({ role, resource, cause });
  }

  /** Records that `resource` revokes `role` from the target's person in its app. */
  revoke(target: AssignmentTarget, role: RoleRef, resource: string, cause: ChangeCause): void {
    this.draft(target, resource).revoked.push({ role, resource, cause });
  }

  /** Records a replacement under the target's person and app (once per section). */
  replaced(target: AssignmentTarget, replacement: Replacement): void {
    const list = this.draft(target, replacement.resource).replacements;
    // Old and new may land in one section (e.g. both user ids secret); list the replacement once.
    if (!list.includes(replacement)) list.push(replacement);
  }

  /** The sections, sorted by person then app, each with its changes sorted by role. */
  sections(): AccessSection[] {
    const byRole = (a: RoleChange, b: RoleChange): number => compareRoleOrder(a.role, b.role) || compareText(a.resource, b.resource);
    return [...this.drafts.values()]
      .map((d) => ({
        person: d.person,
        app: d.app,
        granted: [...d.granted].sort(byRole),
        revoked: [...d.revoked].sort(byRole),
        replacements: [...d.replacements].sort((a, b) => compareText(a.resource, b.resource)),
        resources: [...d.resources].sort(compareText),
      }))
      .sort(
        (a, b) =>
          personRank(a.person) - personRank(b.person) ||
          compareText(a.person.label, b.person.label) ||
          compareText(a.app.label, b.app.label) ||
          compareText(a.app.key, b.app.key),
      );
  }

  private draft(target: AssignmentTarget, resource: string): Draft {
    const key = `${target.person.key}\u0000${target.app.key}`;
    let draft = this.drafts.get(key);
    if (!draft) {
      draft = { person: target.person, app: target.app, granted: [], revoked: [], replacements: [], resources: new Set() };
      this.drafts.set(key, draft);
    }
    draft.resources.add(resource);
    return draft;
  }
}
