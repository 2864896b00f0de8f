/**
 * Folds the preview's steps into one logical change per resource: a replacement shows up as up to three
 * steps (`replace`, and with --show-replacement-steps also `create-replacement` and `delete-replaced`),
 * and the order they arrive in tells whether the old resource goes first.
 */
import type { PreviewState, PreviewStep } from "./digest";

/** The type token of the RoleAssignment dynamic resource. */
export const ROLE_ASSIGNMENT_TYPE = "pulumi-nodejs:dynamic/truto:RoleAssignment";

const STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";
const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced", "import-replacement"]);
// Ops that change nothing at the API: `refresh` is how `preview --refresh` shows an unchanged resource.
const NO_CHANGE_OPS = new Set(["same", "read", "refresh", "discard", "discard-replaced", "remove-pending-replace"]);

/** What happens to one resource, with the old and new states the steps carry. */
export type LogicalOp = "create" | "delete" | "update" | "replace";

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

/** The steps split into RoleAssignment changes and a count of everything else that changes. */
export interface GroupedSteps {
  readonly assignments: readonly ResourceChange[];
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
  const others: Record<string, number> = {};
  for (const [urn, group] of byUrn) {
    const type = typeOf(urn, group);
    if (type === STACK_TYPE || type.startsWith(PROVIDER_TYPE_PREFIX)) continue;
    const op = logicalOp(group);
    if (!op) continue;
    if (type === ROLE_ASSIGNMENT_TYPE) {
      if (op !== "import") assignments.push(toChange(urn, op, group));
    } else {
      others[op] = (others[op] ?? 0) + 1;
    }
  }
  return { assignments, others };
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

function logicalOp(group: readonly PreviewStep[]): string | undefined {
  const ops = group.map((s) => s.op);
  if (ops.some((op) => REPLACE_OPS.has(op))) return "replace";
  for (const op of ["create", "delete", "update", "import"] as const) if (ops.includes(op)) return op;
  return ops.find((op) => !NO_CHANGE_OPS.has(op));
}

function toChange(urn: string, op: string, group: readonly PreviewStep[]): ResourceChange {
  const find = (o: string): PreviewStep | undefined => group.find((s) => s.op === o);
  const name = nameOf(urn);
  if (op === "replace") {
    const replace = find("replace");
    const created = find("create-replacement");
    const deleted = find("delete-replaced");
    const old = replace?.oldState ?? deleted?.oldState ?? created?.oldState;
    const next = replace?.newState ?? created?.newState;
    const reasons = [...(replace?.replaceReasons ?? created?.replaceReasons ?? [])].sort();
    const evidence = replaceEvidence(group);
    return {
      urn,
      name,
      op: "replace",
      ...(old ? { old } : {}),
      ...(next ? { new: next } : {}),
      replaceReasons: reasons,
      ...(evidence ? { replaceEvidence: evidence } : {}),
    };
  }
  const step = find(op) ?? group[0];
  const logical: LogicalOp = op === "create" || op === "delete" || op === "update" ? op : "update";
  return {
    urn,
    name,
    op: logical,
    ...(step?.oldState && logical !== "create" ? { old: step.oldState } : {}),
    ...(step?.newState && logical !== "delete" ? { new: step.newState } : {}),
    replaceReasons: [],
  };
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
