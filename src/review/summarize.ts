/**
 * Works out the access change of a preview: for every RoleAssignment that is created, deleted, updated
 * or replaced, which roles each person gains or loses in which app, compared from `oldState.inputs`
 * and `newState.inputs` (a dynamic resource's steps carry no detailed diff).
 */
import { readAssignment, type AssignmentView, type HiddenValue } from "./assignment";
import { readDigest } from "./digest";
import { DEFAULT_EXPIRING_WITHIN_DAYS, expiryChanges, expiryOf, unexpiredRoles } from "./expiry";
import { appOf, buildDirectory, personOf, type Directory } from "./people";
import { DEFAULT_PRIVILEGED, normalizePrivileged, roleJudge } from "./privileged";
import { groupSteps, type ResourceChange } from "./resource-changes";
import { diffRoles, isComparable, reviewedRoleKey, type ReviewedRole, type RoleSetDiff } from "./roles";
import { compareText } from "./order";
import { SectionBook } from "./section-book";
import type {
  AccessReview,
  AccessSection,
  AssignmentTarget,
  ChangeCause,
  ExpiryEdit,
  Move,
  NotUnderstoodChange,
  Replacement,
  ReplaceOrder,
  RoleRef,
  StateOnlyChange,
  UnresolvedResource,
} from "./types";

/** Options of {@link summarizePreview}. */
export interface SummarizeOptions {
  /**
   * More words that mark a role privileged when its id or name contains one (case-insensitive), added to
   * {@link DEFAULT_PRIVILEGED}. A role the integration's role table knows is judged by the table and its
   * real name, never by the name the program declares.
   */
  readonly privileged?: readonly string[];
  /**
   * The words that mark a role privileged, in place of {@link DEFAULT_PRIVILEGED} (and `privileged` is
   * added to them). The role table still flags the ids it knows as privileged.
   */
  readonly privilegedOnly?: readonly string[];
  /** The review's clock (ms since the epoch); defaults to now. Decides which roles have expired. */
  readonly now?: number;
  /** Roles expiring within this many days are shown with the days left (default 7). */
  readonly expiringWithinDays?: number;
  /** Flag (and count in `privilegedWithoutExpiry`) every privileged role granted without `expiresAt`. */
  readonly requireExpiryForPrivileged?: boolean;
}

/** Summarizes the parsed output of `pulumi preview --json`; throws a ReviewInputError for anything else. */
export function summarizePreview(json: unknown, opts: SummarizeOptions = {}): AccessReview {
  const digest = readDigest(json);
  const { assignments, notUnderstood: unread, others } = groupSteps(digest.steps);
  const patterns = normalizePrivileged([...(opts.privilegedOnly ?? DEFAULT_PRIVILEGED), ...(opts.privileged ?? [])]);
  const judge = roleJudge(patterns);
  const now = opts.now ?? Date.now();
  const withinDays = opts.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS;
  const toRef = (role: ReviewedRole, view: AssignmentView): RoleRef => {
    const expiry = expiryOf(role, now, withinDays);
    return { ...role, ...judge(role, view.integration.known ? view.integration.value : undefined), ...(expiry ? { expiry } : {}) };
  };

  const read = assignments.map((change) => ({
    change,
    old: change.old ? readAssignment(change.old) : undefined,
    new: change.new ? readAssignment(change.new) : undefined,
  }));
  const unreadViews = unread.map((u) => ({ u, view: u.state ? readAssignment(u.state) : undefined }));
  const directory = buildDirectory([
    ...read.flatMap((r) => (r.old ? [r.old] : [])),
    ...unreadViews.flatMap((r) => (r.view ? [r.view] : [])),
  ]);
  const book = new SectionBook();
  const replacements: Replacement[] = [];
  const unresolved: UnresolvedResource[] = [];
  const stateOnly: StateOnlyChange[] = [];
  const expiryEdits: ExpiryEdit[] = [];
  const notUnderstood: NotUnderstoodChange[] = unreadViews.map(({ u, view }) => ({
    resource: u.name,
    urn: u.urn,
    ops: u.ops,
    reason: u.reason,
    ...(u.missing ? { missing: u.missing } : {}),
    ...(view ? { target: targetOf(view, directory, u.urn) } : {}),
  }));

  for (const { change, old, new: next } of read) {
    const at = (view: AssignmentView, created = false): AssignmentTarget => targetOf(view, directory, change.urn, created);
    const name = change.name;
    if (change.op === "create" && next) {
      const target = at(next, true);
      for (const role of knownRoles(next)) book.grant(target, toRef(role, next), name, "create");
      note(unresolved, change, "create", target, next.hidden);
    } else if ((change.op === "delete" || change.op === "relinquish") && old) {
      // A relinquished assignment (now read with `.get()`) is deleted by the engine like any other.
      const target = at(old);
      // A role the provider already revoked when it expired is not revoked again.
      for (const role of unexpiredRoles(old)) book.revoke(target, toRef(role, old), name, "delete");
      note(unresolved, change, "delete", target, old.hidden);
    } else if (change.op === "import-replace" && old && next) {
      // The managed assignment is deleted and the imported one adopted as it is.
      const target = at(old);
      for (const role of knownRoles(old)) book.revoke(target, toRef(role, old), name, "replace");
      note(unresolved, change, "replace", target, [...old.hidden, ...next.hidden]);
      stateOnly.push(stateOnlyOf(change, "import", next, at(next), toRef));
    } else if (change.op === "import" && next) {
      stateOnly.push(stateOnlyOf(change, "import", next, at(next), toRef));
    } else if (change.op === "forget" && old) {
      stateOnly.push(stateOnlyOf(change, "forget", old, at(old), toRef));
    } else if (change.op === "update" && old && next) {
      const target = at(next);
      const diff = compareRoles(old, next);
      for (const role of diff.granted) book.grant(target, toRef(role, next), name, "update");
      for (const role of diff.revoked) book.revoke(target, toRef(role, old), name, "update");
      // Declared before and after: only time changes them (an expiry passed, or an expired role renewed).
      const timed = expiryChanges(old, next, now);
      for (const role of timed.lapsed) book.revoke(target, toRef(role, next), name, "update");
      for (const role of timed.renewed) book.grant(target, toRef(role, next), name, "update");
      for (const edit of timed.edited) {
        const ref = toRef(edit.role, next);
        const required = opts.requireExpiryForPrivileged && ref.privileged && edit.to === undefined;
        expiryEdits.push({
          resource: name,
          ...target,
          role: required ? { ...ref, expiryRequired: true } : ref,
          ...(edit.from ? { from: edit.from } : {}),
          ...(edit.to ? { to: edit.to } : {}),
        });
      }
      note(unresolved, change, "update", target, [...old.hidden, ...next.hidden]);
    } else if (change.op === "replace" && old && next) {
      const replacement = replace(change, at(old), at(next, !sameField(old.userId, next.userId)), old, next, book, toRef);
      replacements.push(replacement);
      note(unresolved, change, "replace", replacement.to, [...old.hidden, ...next.hidden]);
    }
  }

  const paired = pairMoves(book.sections(), new Map(read.map((r) => [r.change.name, r])));
  const moves = paired.moves;
  const sections = opts.requireExpiryForPrivileged ? paired.sections.map(requireExpiry) : paired.sections;
  const sum = (pick: (s: (typeof sections)[number]) => number): number => sections.reduce((n, s) => n + pick(s), 0);
  const granted = sum((s) => s.granted.length);
  const revoked = sum((s) => s.revoked.length);
  const withReason = (reason: string): number => unresolved.filter((u) => u.values.some((v) => v.reason === reason)).length;
  const otherTotal = Object.values(others).reduce((a, b) => a + b, 0);
  const unreadable = withReason("unreadable");
  return {
    hasAccessChange:
      granted + revoked + moves.length + replacements.length + unresolved.length + notUnderstood.length + expiryEdits.length > 0,
    understood: notUnderstood.length === 0 && unreadable === 0,
    totals: {
      people: new Set(sections.map((s) => s.person.key)).size,
      granted,
      revoked,
      replacements: replacements.length,
      moves: moves.length,
      privilegedGranted: sum((s) => s.granted.filter((c) => c.role.privileged).length),
      privilegedRevoked: sum((s) => s.revoked.filter((c) => c.role.privileged).length),
      mislabelled: sum((s) => [...s.granted, ...s.revoked].filter((c) => c.role.mislabelled).length),
      unknown: withReason("unknown"),
      secret: withReason("secret"),
      unreadable,
      notUnderstood: notUnderstood.length,
      expired: sum((s) => s.revoked.filter((c) => c.role.expiry?.state === "expired").length),
      privilegedWithoutExpiry:
        sum((s) => s.granted.filter((c) => c.role.expiryRequired).length) + expiryEdits.filter((e) => e.role.expiryRequired).length,
    },
    sections,
    replacements: replacements.sort((a, b) => compareText(a.resource, b.resource)),
    moves,
    unresolved: unresolved.sort((a, b) => compareText(a.resource, b.resource)),
    notUnderstood: notUnderstood.sort((a, b) => compareText(a.resource, b.resource)),
    stateOnly: stateOnly.sort((a, b) => compareText(a.resource, b.resource) || compareText(a.kind, b.kind)),
    expiryEdits: expiryEdits.sort((a, b) => compareText(a.resource, b.resource) || compareText(a.role.id, b.role.id)),
    otherResources: { total: otherTotal, byOp: others },
    errorDiagnostics: digest.diagnostics.filter((d) => d.severity === "error").length,
    privilegedPatterns: patterns,
    expiringWithinDays: withinDays,
    requireExpiryForPrivileged: opts.requireExpiryForPrivileged === true,
  };
}

/** Marks the section's privileged grants without `expiresAt`, which the expiry policy refuses. */
function requireExpiry(section: AccessSection): AccessSection {
  const granted = section.granted.map((c) =>
    c.role.privileged && c.role.expiresAt === undefined ? { ...c, role: { ...c.role, expiryRequired: true as const } } : c,
  );
  return { ...section, granted };
}

interface ReadChange {
  readonly change: ResourceChange;
  readonly old?: AssignmentView;
  readonly new?: AssignmentView;
}

/**
 * Takes out of each section the roles one resource revokes and another grants (same person, app and
 * role): the provider keeps such a grant in place, so they are moves, not a revoke and a grant.
 */
function pairMoves(all: readonly AccessSection[], byName: ReadonlyMap<string, ReadChange>): { sections: AccessSection[]; moves: Move[] } {
  const moves: Move[] = [];
  const sections = all.flatMap((section) => {
    const revoked = [...section.revoked];
    const granted = section.granted.filter((g) => {
      if (!isComparable(g.role)) return true;
      const i = revoked.findIndex(
        (r) => r.resource !== g.resource && isComparable(r.role) && reviewedRoleKey(r.role) === reviewedRoleKey(g.role),
      );
      if (i < 0) return true;
      const [r] = revoked.splice(i, 1);
      moves.push({
        role: g.role,
        from: r.resource,
        to: g.resource,
        person: section.person,
        app: section.app,
        sameAssignment: onlyRenamed(byName.get(r.resource), byName.get(g.resource)),
      });
      return false;
    });
    if (granted.length === section.granted.length) return [section];
    const left = { ...section, granted, revoked };
    return granted.length + revoked.length + section.replacements.length > 0 ? [left] : [];
  });
  return { sections, moves };
}

// A deleted and a created assignment with the same person, app and roles differ only by their names.
function onlyRenamed(from: ReadChange | undefined, to: ReadChange | undefined): boolean {
  if (from?.change.op !== "delete" || to?.change.op !== "create" || !from.old || !to.new) return false;
  const keys = (v: AssignmentView) =>
    v.roles.known && v.opaqueRoles === 0 ? JSON.stringify(v.roles.value.map(reviewedRoleKey).sort()) : undefined;
  return (
    sameField(from.old.integratedAccountId, to.new.integratedAccountId) &&
    sameField(from.old.integration, to.new.integration) &&
    sameField(from.old.userId, to.new.userId) &&
    keys(from.old) !== undefined &&
    keys(from.old) === keys(to.new)
  );
}

function targetOf(view: AssignmentView, directory: Directory, urn: string, created = false): AssignmentTarget {
  return { person: personOf(view, directory, urn, created), app: appOf(view, urn) };
}

// Only known values compare equal: a hidden user id may or may not be the same one.
function sameField(a: AssignmentView["userId"], b: AssignmentView["userId"]): boolean {
  return a.known && b.known && a.value === b.value;
}

function stateOnlyOf(
  change: ResourceChange,
  kind: StateOnlyChange["kind"],
  view: AssignmentView,
  target: AssignmentTarget,
  toRef: (role: ReviewedRole, view: AssignmentView) => RoleRef,
): StateOnlyChange {
  return { resource: change.name, urn: change.urn, kind, target, roles: knownRoles(view).map((role) => toRef(role, view)) };
}

function knownRoles(view: AssignmentView): readonly ReviewedRole[] {
  return view.roles.known ? view.roles.value : [];
}

// A grant is certain only when every old role can be compared (a hidden old role might be the same one),
// and a revocation only when every new role can; the uncertain rest is reported as unresolved.
function compareRoles(old: AssignmentView, next: AssignmentView): RoleSetDiff {
  if (!old.roles.known || !next.roles.known) return { granted: [], revoked: [], kept: [] };
  const clear = (v: AssignmentView, roles: readonly ReviewedRole[]): boolean => v.opaqueRoles === 0 && roles.every(isComparable);
  const diff = diffRoles(old.roles.value.filter(isComparable), next.roles.value.filter(isComparable));
  return {
    granted: clear(old, old.roles.value) ? diff.granted : [],
    revoked: clear(next, next.roles.value) ? diff.revoked : [],
    kept: diff.kept,
  };
}

function replace(
  change: ResourceChange,
  from: AssignmentTarget,
  to: AssignmentTarget,
  old: AssignmentView,
  next: AssignmentView,
  book: SectionBook,
  toRef: (role: ReviewedRole, view: AssignmentView) => RoleRef,
): Replacement {
  const hidden = Boolean(from.person.hidden || to.person.hidden || from.app.hidden || to.app.hidden);
  const moves = hidden || from.person.key !== to.person.key || from.app.key !== to.app.key;
  const diff = compareRoles(old, next);
  const { order, orderFrom } = replaceOrder(change, old, next);
  const replacement: Replacement = {
    resource: change.name,
    urn: change.urn,
    reasons: change.replaceReasons,
    order,
    orderFrom,
    from,
    to,
    moves,
    kept: moves ? [] : diff.kept.map((role) => toRef(role, next)),
  };
  if (moves) {
    // The old assignment ends for its person and a new one starts for (possibly) someone else.
    for (const role of knownRoles(old)) book.revoke(from, toRef(role, old), change.name, "replace");
    for (const role of knownRoles(next)) book.grant(to, toRef(role, next), change.name, "replace");
    book.replaced(from, replacement);
    book.replaced(to, replacement);
  } else {
    for (const role of diff.granted) book.grant(to, toRef(role, next), change.name, "replace");
    for (const role of diff.revoked) book.revoke(to, toRef(role, old), change.name, "replace");
    book.replaced(to, replacement);
  }
  return replacement;
}

// The steps say which half goes first when they can; otherwise the provider's own rule decides: it asks
// for delete-before-replace exactly when the old and new assignment share a role.
function replaceOrder(
  change: ResourceChange,
  old: AssignmentView,
  next: AssignmentView,
): { order: ReplaceOrder; orderFrom: Replacement["orderFrom"] } {
  switch (change.replaceEvidence) {
    case "delete-replaced-first":
    case "pending-replacement":
      return { order: "delete-before-create", orderFrom: "steps" };
    case "create-replacement-first":
    case "old-marked-delete":
      return { order: "create-before-delete", orderFrom: "steps" };
    default: {
      const oldKeys = new Set(knownRoles(old).filter(isComparable).map(reviewedRoleKey));
      const shared = knownRoles(next)
        .filter(isComparable)
        .some((r) => oldKeys.has(reviewedRoleKey(r)));
      return { order: shared ? "delete-before-create" : "create-before-delete", orderFrom: "provider-rule" };
    }
  }
}

function note(
  unresolved: UnresolvedResource[],
  change: ResourceChange,
  cause: ChangeCause,
  target: AssignmentTarget,
  hidden: readonly HiddenValue[],
): void {
  const seen = new Set<string>();
  const values = hidden.filter((h) => {
    const key = `${h.reason}:${h.path}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  if (values.length === 0) return;
  values.sort((a, b) => compareText(a.path, b.path));
  unresolved.push({ resource: change.name, urn: change.urn, cause, person: target.person, app: target.app, values });
}
