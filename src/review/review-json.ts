/**
 * `review --format json`: the review as one JSON document for tools, with a stable shape: every key is
 * always present (empty lists, `null` where there is nothing), and `version` changes when a key changes
 * meaning or goes away.
 */
import type { PreviewOutcome } from "./outcome";
import type { PreviewError } from "./preview-errors";
import { reviewMarker, type StackRef } from "./stack-ref";
import type { AccessReview, AccessTotals, AppRef, AssignmentTarget, PersonRef, RoleChange, RoleRef } from "./types";

/** The version of the document's shape. */
export const REVIEW_JSON_VERSION = 1;

/** A person in the JSON review. */
export interface PersonJson {
  readonly label: string;
  readonly userId: string | null;
  readonly name: string | null;
  readonly email: string | null;
  /** True for a user an assignment is created for whom no state in the preview names. */
  readonly isNew: boolean;
  /** Why the user id is not shown: "unknown", "secret" or "unreadable"; null when it is. */
  readonly hidden: string | null;
}

/** An app in the JSON review. */
export interface AppJson {
  readonly label: string;
  readonly integration: string | null;
  readonly integratedAccountId: string | null;
  readonly hidden: string | null;
}

/** One role granted or revoked, with the resource and the kind of change behind it. */
export interface RoleChangeJson {
  readonly resource: string;
  readonly cause: RoleChange["cause"];
  readonly role: RoleRef;
}

/** A role with a deadline worth a look: expiring within the window, or expired (and so revoked). */
export interface ExpiryJson {
  readonly resource: string;
  readonly person: PersonJson;
  readonly app: AppJson;
  readonly role: RoleRef;
  readonly state: "expiring" | "expired";
  readonly at: string;
  readonly inDays: number | null;
}

/** The whole document. */
export interface ReviewJson {
  readonly version: typeof REVIEW_JSON_VERSION;
  /** "ok": reviewed; "preview-failed": there is no review, see `failure` and `errors`. */
  readonly status: "ok" | "preview-failed";
  /** The comment marker, as the Markdown comment's first line. */
  readonly marker: string;
  readonly project: string | null;
  readonly stack: string | null;
  readonly hasAccessChange: boolean;
  readonly understood: boolean;
  readonly totals: AccessTotals | null;
  readonly privilegedWords: readonly string[];
  readonly sections: readonly {
    readonly person: PersonJson;
    readonly app: AppJson;
    readonly granted: readonly RoleChangeJson[];
    readonly revoked: readonly RoleChangeJson[];
    /** Names of the resources replaced in this section (details in `replacements`). */
    readonly replacements: readonly string[];
    readonly resources: readonly string[];
  }[];
  /** Every privileged role granted, from `sections`. */
  readonly privilegedGrants: readonly (RoleChangeJson & { readonly person: PersonJson; readonly app: AppJson })[];
  readonly replacements: readonly unknown[];
  readonly moves: readonly unknown[];
  readonly expiries: { readonly roles: readonly ExpiryJson[]; readonly edits: readonly unknown[] };
  readonly unresolved: readonly unknown[];
  readonly notUnderstood: readonly unknown[];
  readonly stateOnly: readonly unknown[];
  readonly otherResources: AccessReview["otherResources"];
  /** The preview's error diagnostics (redacted). */
  readonly errors: readonly PreviewError[];
  readonly failure: { readonly reason: string; readonly errorCount: number; readonly output: string | null } | null;
}

/** The JSON document of `outcome`. */
export function reviewJson(outcome: PreviewOutcome): ReviewJson {
  if (outcome.kind === "failed") {
    const f = outcome.failure;
    return {
      ...head(f.target, "preview-failed"),
      hasAccessChange: false,
      understood: false,
      totals: null,
      privilegedWords: [],
      ...EMPTY_LISTS,
      otherResources: { total: 0, byOp: {} },
      errors: f.errors,
      failure: { reason: f.reason, errorCount: f.errorCount, output: f.output ?? null },
    };
  }
  const r = outcome.review;
  const sections = r.sections.map((s) => ({
    person: personJson(s.person),
    app: appJson(s.app),
    granted: s.granted.map(changeJson),
    revoked: s.revoked.map(changeJson),
    replacements: s.replacements.map((x) => x.resource),
    resources: s.resources,
  }));
  const target = (t: AssignmentTarget) => ({ person: personJson(t.person), app: appJson(t.app) });
  return {
    ...head(outcome.target, "ok"),
    hasAccessChange: r.hasAccessChange,
    understood: r.understood,
    totals: r.totals,
    privilegedWords: r.privilegedPatterns,
    sections,
    privilegedGrants: sections.flatMap((s) =>
      s.granted.filter((g) => g.role.privileged).map((g) => ({ ...g, person: s.person, app: s.app })),
    ),
    replacements: r.replacements.map(({ urn: _urn, from, to, ...x }) => ({ ...x, from: target(from), to: target(to) })),
    moves: r.moves.map((m) => ({ ...m, person: personJson(m.person), app: appJson(m.app) })),
    expiries: {
      roles: sections.flatMap((s) =>
        [...s.granted, ...s.revoked].flatMap((c) =>
          c.role.expiry
            ? [
                {
                  resource: c.resource,
                  person: s.person,
                  app: s.app,
                  role: c.role,
                  state: c.role.expiry.state,
                  at: c.role.expiry.at,
                  inDays: c.role.expiry.inDays ?? null,
                },
              ]
            : [],
        ),
      ),
      edits: r.expiryEdits.map((e) => ({
        ...e,
        person: personJson(e.person),
        app: appJson(e.app),
        from: e.from ?? null,
        to: e.to ?? null,
      })),
    },
    unresolved: r.unresolved.map(({ urn: _urn, ...u }) => ({ ...u, person: personJson(u.person), app: appJson(u.app) })),
    notUnderstood: r.notUnderstood.map(({ urn: _urn, target: t, ...n }) => ({ ...n, target: t ? target(t) : null })),
    stateOnly: r.stateOnly.map(({ urn: _urn, target: t, ...c }) => ({ ...c, target: target(t) })),
    otherResources: r.otherResources,
    errors: [],
    failure: null,
  };
}

const EMPTY_LISTS = {
  sections: [],
  privilegedGrants: [],
  replacements: [],
  moves: [],
  expiries: { roles: [], edits: [] },
  unresolved: [],
  notUnderstood: [],
  stateOnly: [],
} as const;

function head(target: StackRef, status: ReviewJson["status"]) {
  return {
    version: REVIEW_JSON_VERSION,
    status,
    marker: reviewMarker(target),
    project: target.project ?? null,
    stack: target.stack ?? null,
  } as const;
}

function personJson(p: PersonRef): PersonJson {
  return {
    label: p.label,
    userId: p.userId ?? null,
    name: p.name ?? null,
    email: p.email ?? null,
    isNew: p.isNew === true,
    hidden: p.hidden ?? null,
  };
}

function appJson(a: AppRef): AppJson {
  return {
    label: a.label,
    integration: a.integration ?? null,
    integratedAccountId: a.integratedAccountId ?? null,
    hidden: a.hidden ?? null,
  };
}

function changeJson(c: RoleChange): RoleChangeJson {
  return { resource: c.resource, cause: c.cause, role: c.role };
}
