/**
 * The structured result of a review: who gains or loses which role in which app, which assignments are
 * replaced, and what the preview cannot tell yet. Every string in it is a real value, never a
 * placeholder such as "[secret]".
 */
import type { HiddenValue } from "./assignment";
import type { RoleVerdict } from "./privileged";
import type { ReviewedRole } from "./roles";
import type { HiddenReason } from "./sentinels";

export type { HiddenValue } from "./assignment";
export type { HiddenReason } from "./sentinels";
export type { ReviewedOrganization, ReviewedRole } from "./roles";

/** The person an assignment is for. */
export interface PersonRef {
  /** Groups one person's changes: the e-mail when known, else the app account and user id. */
  readonly key: string;
  /** Plain text: "Name (email)", the name, the e-mail, the user id, or a phrase when the id is hidden. */
  readonly label: string;
  readonly userId?: string;
  readonly name?: string;
  readonly email?: string;
  /** Set when the user id is unknown, secret or unreadable. */
  readonly hidden?: HiddenReason;
  /**
   * Set on a user the assignment is created for (or a replacement moves to) whom no state in the preview
   * names: the provider has not read them back yet, so only the id is known ("U07NEW (new user)").
   */
  readonly isNew?: true;
}

/** The app (integration and integrated account) an assignment is in. */
export interface AppRef {
  readonly key: string;
  /** Display name such as "Slack Enterprise", the raw slug for one this package does not know, or a phrase when hidden. */
  readonly label: string;
  readonly integration?: string;
  readonly integratedAccountId?: string;
  /** Set when the integration or the integrated account is unknown, secret or unreadable. */
  readonly hidden?: HiddenReason;
}

export type { RoleVerdict } from "./privileged";

/** Where a role stands against its `expiresAt` when the review runs, when that is worth saying. */
export interface RoleExpiry {
  /** `expired`: its time has passed, so the next `pulumi up` revokes it; `expiring`: it expires within the review's window. */
  readonly state: "expired" | "expiring";
  /** The role's `expiresAt`. */
  readonly at: string;
  /** For `expiring`: whole days left, rounded up (at least 1). */
  readonly inDays?: number;
}

/** A role in a review, with what the integration's role table says about its id. */
export interface RoleRef extends ReviewedRole, RoleVerdict {
  readonly expiry?: RoleExpiry;
  /** Set, with `requireExpiryForPrivileged`, on a privileged role granted without `expiresAt`. */
  readonly expiryRequired?: true;
}

/** Which kind of resource change causes a role change. */
export type ChangeCause = "create" | "delete" | "update" | "replace";

/** One role granted or revoked by one resource. */
export interface RoleChange {
  readonly role: RoleRef;
  /** The resource name. */
  readonly resource: string;
  readonly cause: ChangeCause;
}

/**
 * A role one resource revokes and another grants to the same person in the same app in one preview: a
 * rename or a move. The provider leaves such a grant in place (the delete or update that gives it up
 * skips the revoke), so access does not change.
 */
export interface Move {
  readonly role: RoleRef;
  /** The resource giving the role up. */
  readonly from: string;
  /** The resource taking it. */
  readonly to: string;
  readonly person: PersonRef;
  readonly app: AppRef;
  /**
   * True when `from` is deleted and `to` created with the same roles for the same person and app: the
   * two differ only by name, and `aliases` would keep one resource.
   */
  readonly sameAssignment: boolean;
}

/** Which half of a replacement runs first. */
export type ReplaceOrder = "delete-before-create" | "create-before-delete";

/** Where an assignment is: for whom and in which app. */
export interface AssignmentTarget {
  readonly person: PersonRef;
  readonly app: AppRef;
}

/** An assignment the preview replaces: the old resource is deleted and a new one created. */
export interface Replacement {
  readonly resource: string;
  readonly urn: string;
  /** Inputs that force the replacement (`replaceReasons`), sorted. */
  readonly reasons: readonly string[];
  readonly order: ReplaceOrder;
  /** How the order was found: from the steps, or from the provider's rule (shared roles mean delete first). */
  readonly orderFrom: "steps" | "provider-rule";
  readonly from: AssignmentTarget;
  readonly to: AssignmentTarget;
  /** True when the assignment moves to another person or app, or the preview cannot tell. */
  readonly moves: boolean;
  /** Roles held before and after (same person and app only); with delete-before-create they lapse in between. */
  readonly kept: readonly RoleRef[];
}

/** Everything that changes for one person in one app. */
export interface AccessSection {
  readonly person: PersonRef;
  readonly app: AppRef;
  readonly granted: readonly RoleChange[];
  readonly revoked: readonly RoleChange[];
  readonly replacements: readonly Replacement[];
  /** Names of the resources behind these changes, sorted. */
  readonly resources: readonly string[];
}

/** A changing assignment with values the preview cannot show. */
export interface UnresolvedResource {
  readonly resource: string;
  readonly urn: string;
  readonly cause: ChangeCause;
  readonly person: PersonRef;
  readonly app: AppRef;
  readonly values: readonly HiddenValue[];
}

/** A RoleAssignment whose steps this review cannot read as a change it knows; it must be checked by hand. */
export interface NotUnderstoodChange {
  readonly resource: string;
  readonly urn: string;
  /** The ops of its steps, in preview order. */
  readonly ops: readonly string[];
  /**
   * `unknown-op`: an op that is not one of Pulumi's (STEP_OPS); `unexpected-ops`: known ops that do not
   * make one change (two changes at once, a provider-only op, a `diff` without its outcome);
   * `missing-state`: the step lacks the old or new state its op needs.
   */
  readonly reason: "unknown-op" | "unexpected-ops" | "missing-state";
  /** For `missing-state`: which state is missing. */
  readonly missing?: "old" | "new";
  /** Where the assignment is, when a step carries a state to tell. */
  readonly target?: AssignmentTarget;
}

/** An assignment whose state changes while its access at the API does not. */
export interface StateOnlyChange {
  readonly resource: string;
  readonly urn: string;
  /** `import`: adopted as it is (a later destroy revokes it); `forget`: removed from the state after an earlier, interrupted replacement deleted it. */
  readonly kind: "import" | "forget";
  readonly target: AssignmentTarget;
  /** The roles adopted or forgotten. */
  readonly roles: readonly RoleRef[];
}

/** A role an update keeps whose deadline changes: renewed, shortened, given one, or made permanent. */
export interface ExpiryEdit {
  readonly resource: string;
  readonly person: PersonRef;
  readonly app: AppRef;
  /** The role as the new inputs declare it (its `expiresAt` is `to`). */
  readonly role: RoleRef;
  /** The old deadline; absent when the role had none. */
  readonly from?: string;
  /** The new deadline; absent when the role has none now. */
  readonly to?: string;
}

/** The numbers behind the summary line. */
export interface AccessTotals {
  /** Distinct people with a grant, revocation or replacement. */
  readonly people: number;
  readonly granted: number;
  readonly revoked: number;
  readonly replacements: number;
  /** Roles that move from one resource to another without a change in access. */
  readonly moves: number;
  readonly privilegedGranted: number;
  readonly privilegedRevoked: number;
  /** Granted or revoked roles whose declared name is not the vendor's name for their id. */
  readonly mislabelled: number;
  /** Changing assignments with a value known only at `up`. */
  readonly unknown: number;
  /** Changing assignments with a secret value. */
  readonly secret: number;
  /** Changing assignments with a value not in the shape the resource writes. */
  readonly unreadable: number;
  /** Assignments whose steps this review cannot read as a change it knows. */
  readonly notUnderstood: number;
  /** Revoked roles whose time has passed (counted in `revoked` too). */
  readonly expired: number;
  /** With `requireExpiryForPrivileged`: privileged roles granted, or kept while their `expiresAt` is removed, without `expiresAt` (0 without it). */
  readonly privilegedWithoutExpiry: number;
}

/** The review of one preview. */
export interface AccessReview {
  /** False when no role is granted, revoked, moved or replaced and nothing is left unknown or not understood. */
  readonly hasAccessChange: boolean;
  /** False when some RoleAssignment change could not be read: an op or steps not understood, or an unreadable value. */
  readonly understood: boolean;
  readonly totals: AccessTotals;
  /** Sorted by person, then app. */
  readonly sections: readonly AccessSection[];
  /** Sorted by resource name. */
  readonly replacements: readonly Replacement[];
  /** Sorted by person, app, then role; their grants and revokes are not in `sections`. */
  readonly moves: readonly Move[];
  /** Sorted by resource name. */
  readonly unresolved: readonly UnresolvedResource[];
  /** Sorted by resource name. */
  readonly notUnderstood: readonly NotUnderstoodChange[];
  /** Imports and forgotten assignments, sorted by resource name. */
  readonly stateOnly: readonly StateOnlyChange[];
  /** Kept roles whose `expiresAt` changes, sorted by resource name, then role id. */
  readonly expiryEdits: readonly ExpiryEdit[];
  /** Other resources that change, by logical op; the stack and providers are not counted. */
  readonly otherResources: { readonly total: number; readonly byOp: Readonly<Record<string, number>> };
  /** How many error diagnostics the preview reported (the summary may then be incomplete). */
  readonly errorDiagnostics: number;
  /** The privileged words used (the defaults and the caller's), normalized. */
  readonly privilegedPatterns: readonly string[];
  /** Roles expiring within this many days are shown with the days left. */
  readonly expiringWithinDays: number;
  /** Whether a privileged grant without `expiresAt` breaks policy. */
  readonly requireExpiryForPrivileged: boolean;
}
