/**
 * Folds the preview's steps into one logical change per resource: a replacement shows up as up to three
 * steps (`replace`, and with --show-replacement-steps also `create-replacement` and `delete-replaced`),
 * and the order they arrive in tells whether the old resource goes first. Every op of Pulumi's engine has
 * a stated meaning here; a RoleAssignment whose steps do not add up to one known change is set apart as
 * not understood, never read as "no change".
 */
import type { PreviewState, PreviewStep } from "./digest";

/** The type token of the RoleAssignment dynamic resource. */
export const ROLE_ASSIGNMENT_TYPE = "pulumi-nodejs:dynamic/truto:RoleAssignment";

const STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";
const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced", "import-replacement", "read-replacement"]);

/** What a step op means for a RoleAssignment's access. */
export type StepMeaning =
  | "none"
  | "create"
  | "update"
  | "delete"
  | "replace"
  | "relinquish"
  | "import"
  | "import-replace"
  | "forget"
  | "internal"
  | "provider-only";

/**
 * Every step op of Pulumi's engine (pkg/resource/deploy/step.go, `StepOps`) and what it means for a
 * RoleAssignment. An op missing here is one this review does not know, and is reported as such.
 */
export const STEP_OPS: Readonly<Record<string, StepMeaning>> = {
  // Nothing changes at the API: `read` is a resource looked up with `.get()`, `refresh` how
  // `preview --refresh` shows the state it reads (the step after it says what changes), `discard` and
  // `discard-replaced` drop a read resource from the state.
  same: "none",
  read: "none",
  refresh: "none",
  discard: "none",
  "discard-replaced": "none",
  create: "create",
  update: "update",
  delete: "delete",
  // One replacement shows as `replace`, with `--show-replacement-steps` also as its two halves.
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  // A managed assignment the program now reads with `.get()`: the engine deletes the managed one
  // ("relinquish", step_generator.go GenerateReadSteps), so its roles are revoked; reading grants nothing.
  "read-replacement": "relinquish",
  // `import` adopts an assignment as it is; `import-replacement` does so in place of a managed one, which
  // is deleted. Dynamic providers cannot import today (pulumi/pulumi#16175), but the ops exist.
  import: "import",
  "import-replacement": "import-replace",
  // An earlier delete-before-replace deleted the resource and stopped before the create; now that the
  // program no longer declares it, the engine only removes it from the state.
  "remove-pending-replace": "forget",
  // The engine's own bookkeeping for a diff run in parallel, followed by the step it decides; never the
  // whole story for a resource.
  diff: "internal",
  // Only providers are parameterized.
  "extend-parameterize": "provider-only",
};

/** What happens to one RoleAssignment, as the review reads its steps. */
export type LogicalOp = "create" | "delete" | "update" | "replace" | "relinquish" | "import" | "import-replace" | "forget";

/** Why the steps of a RoleAssignment could not be read as one change. */
export type NotUnderstoodReason = "unknown-op" | "unexpected-ops" | "missing-state";

/** How the step order shows which half of a replacement runs first, when it shows it at all. */
export type ReplaceEvidence = "delete-replaced-first" | "pending-replacement" | "create-replacement-first" | "old-marked-delete";

/** One RoleAssignment and what the preview plans for it. */
export interface ResourceChange {
  readonly urn: string;
  /** The resource name (the last URN segment). */
  readonly name: string;
  readonly op: LogicalOp;
  readonly old?: PreviewState;
  readonly new?: PreviewState;
  /** `replaceReasons` of the replacement, sorted (the engine's order is not stable). */
  readonly replaceReasons: readonly string[];
  readonly replaceEvidence?: ReplaceEvidence;
}

/** A RoleAssignment whose steps the review cannot read as a change it knows. */
export interface NotUnderstoodSteps {
  readonly urn: string;
  readonly name: string;
  /** The ops of its steps, in preview order. */
  readonly ops: readonly string[];
  readonly reason: NotUnderstoodReason;
  /** A state a step carries, to name the person and app; absent when no step carries one. */
  readonly state?: PreviewState;
  /** For `missing-state`: which state the op needs. */
  readonly missing?: "old" | "new";
}

/** The steps split into RoleAssignment changes, the ones not understood, and a count of everything else. */
export interface GroupedSteps {
  readonly assignments: readonly ResourceChange[];
  readonly notUnderstood: readonly NotUnderstoodSteps[];
  /** Other resources that change, by logical op (the stack and providers are never counted). */
  readonly others: Readonly<Record<string, number>>;
}

/** Groups `steps` by URN, in the order each URN first appears. */
export function groupSteps(steps: readonly PreviewStep[]): GroupedSteps {
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of steps) {
    const list = byUrn.get(step.urn);
    if (list) list.push(step);
    else byUrn.set(step.urn, [step]);
  }
  const assignments: ResourceChange[] = [];
  const notUnderstood: NotUnderstoodSteps[] = [];
  const others: Record<string, number> = {};
  for (const [urn, group] of byUrn) {
    const type = typeOf(urn, group);
    if (type === STACK_TYPE || type.startsWith(PROVIDER_TYPE_PREFIX)) continue;
    if (type === ROLE_ASSIGNMENT_TYPE) {
      const read = readAssignmentSteps(urn, group);
      if ("reason" in read) notUnderstood.push(read);
      else assignments.push(...read.changes);
      continue;
    }
    const op = logicalOp(group);
    if (op) others[op] = (others[op] ?? 0) + 1;
  }
  return { assignments, notUnderstood, others };
}

// A RoleAssignment's steps must add up to exactly one change this review knows; anything else is
// reported, never guessed at: an access change shown wrongly is worse than one shown as unread.
function readAssignmentSteps(urn: string, group: readonly PreviewStep[]): { changes: ResourceChange[] } | NotUnderstoodSteps {
  const ops = group.map((s) => s.op);
  const name = nameOf(urn);
  const state = group.map((s) => s.newState ?? s.oldState).find((st) => st !== undefined);
  const refuse = (reason: NotUnderstoodReason, missing?: "old" | "new"): NotUnderstoodSteps => ({
    urn,
    name,
    ops,
    reason,
    ...(state ? { state } : {}),
    ...(missing ? { missing } : {}),
  });
  const meanings = ops.map((op) => (Object.hasOwn(STEP_OPS, op) ? STEP_OPS[op] : undefined));
  if (meanings.includes(undefined)) return refuse("unknown-op");
  const changing = new Set(meanings.filter((m) => m !== "none"));
  // read-replacement and import-replacement each come with a `replace` step for the same resource.
  if (changing.has("relinquish") || changing.has("import-replace")) changing.delete("replace");
  // A `diff` step is followed by the step it decides; alone, it says nothing.
  if (changing.size > 1) changing.delete("internal");
  if (changing.size === 0) return { changes: [] };
  const [meaning] = changing;
  if (changing.size > 1 || meaning === undefined || meaning === "internal" || meaning === "provider-only") {
    return refuse("unexpected-ops");
  }
  // A lone delete-replaced deletes a copy that an earlier create-before-delete replacement left pending
  // deletion (step_generator.go, GenerateDeletes): its roles are revoked like any deleted assignment's.
  const leftover = meaning === "replace" && !ops.includes("replace") && !ops.includes("create-replacement");
  const changes = toChanges(urn, leftover ? "delete" : meaning, group);
  const missing = changes.map(missingState).find((m) => m !== undefined);
  return missing ? refuse("missing-state", missing) : { changes };
}

// Which state a change cannot be read without.
function missingState(change: ResourceChange): "old" | "new" | undefined {
  const needsOld = change.op !== "create" && change.op !== "import";
  const needsNew = change.op !== "delete" && change.op !== "relinquish" && change.op !== "forget";
  if (needsOld && !change.old) return "old";
  if (needsNew && !change.new) return "new";
  return undefined;
}

/** The resource name of a URN: everything after its fourth `::`-separated part. */
export function nameOf(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts.slice(3).join("::") : urn;
}

function typeOf(urn: string, group: readonly PreviewStep[]): string {
  for (const step of group) {
    const type = step.newState?.type ?? step.oldState?.type;
    if (type) return type;
  }
  // The type chain is the third part; a child's chain is "parent$child", and the child's type is last.
  const chain = urn.split("::")[2] ?? "";
  return chain.split("$").pop() ?? chain;
}

// Other resources are only counted, by the op a reader would call their change.
function logicalOp(group: readonly PreviewStep[]): string | undefined {
  const ops = group.map((s) => s.op);
  if (ops.some((op) => REPLACE_OPS.has(op))) return "replace";
  for (const op of ["create", "delete", "update", "import"] as const) if (ops.includes(op)) return op;
  return ops.find((op) => STEP_OPS[op] !== "none" && STEP_OPS[op] !== "internal");
}

function toChanges(
  urn: string,
  meaning: Exclude<StepMeaning, "none" | "internal" | "provider-only">,
  group: readonly PreviewStep[],
): ResourceChange[] {
  const find = (o: string): PreviewStep | undefined => group.find((s) => s.op === o);
  const name = nameOf(urn);
  const base = { urn, name, replaceReasons: [] as readonly string[] };
  switch (meaning) {
    case "replace": {
      const replace = find("replace");
      const created = find("create-replacement");
      const deleted = find("delete-replaced");
      const old = replace?.oldState ?? deleted?.oldState ?? created?.oldState;
      const next = replace?.newState ?? created?.newState;
      const evidence = replaceEvidence(group);
      return [
        {
          ...base,
          op: "replace",
          ...(old ? { old } : {}),
          ...(next ? { new: next } : {}),
          replaceReasons: [...(replace?.replaceReasons ?? created?.replaceReasons ?? [])].sort(),
          ...(evidence ? { replaceEvidence: evidence } : {}),
        },
      ];
    }
    // A destroy deletes every state of a URN, a pending-delete copy too: each one revokes its roles.
    case "delete":
      return group
        .filter((s) => s.op === "delete" || s.op === "delete-replaced")
        .map((s) => ({ ...base, op: "delete", ...(s.oldState ? { old: s.oldState } : {}) }));
    case "create":
    case "update":
    case "import":
    case "forget": {
      const op = meaning === "forget" ? "remove-pending-replace" : meaning;
      const step = find(op);
      return [
        {
          ...base,
          op: meaning,
          ...(step?.oldState && meaning !== "create" && meaning !== "import" ? { old: step.oldState } : {}),
          ...(step?.newState && meaning !== "forget" ? { new: step.newState } : {}),
        },
      ];
    }
    case "relinquish":
    case "import-replace": {
      const step = find(meaning === "relinquish" ? "read-replacement" : "import-replacement");
      const old = step?.oldState ?? find("replace")?.oldState;
      const next = step?.newState;
      return [{ ...base, op: meaning, ...(old ? { old } : {}), ...(next && meaning === "import-replace" ? { new: next } : {}) }];
    }
  }
}

// Delete-before-replace runs delete-replaced, replace, create-replacement in that order, and marks the old
// state pendingReplacement; create-before-delete runs create-replacement first, marks the old state
// `delete`, and generates delete-replaced last (pulumi step_generator.go, step.go).
function replaceEvidence(group: readonly PreviewStep[]): ReplaceEvidence | undefined {
  const index = (op: string): number => group.findIndex((s) => s.op === op);
  const deleted = index("delete-replaced");
  const created = index("create-replacement");
  const replaced = index("replace");
  if (deleted >= 0 && (created < 0 || deleted < created) && (replaced < 0 || deleted < replaced)) return "delete-replaced-first";
  if (group.some((s) => s.oldState?.pendingReplacement === true)) return "pending-replacement";
  if (created >= 0 && deleted >= 0 && created < deleted) return "create-replacement-first";
  if (group.some((s) => s.oldState?.delete === true)) return "old-marked-delete";
  return undefined;
}
