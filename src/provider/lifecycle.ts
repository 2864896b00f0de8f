/**
 * create, read, update and delete of a role assignment. Every write is confirmed by reading the user's
 * roles back: a grant counts once the app shows it, and a revoke only once the app no longer does.
 */
import { randomUUID } from "node:crypto";
import { ruleFor, type IntegrationRule } from "../integrations/rules";
import {
  confirmable,
  grantsOf,
  heldPart,
  roleAnyHeld,
  roleHeld,
  roleKey,
  sortRoles,
  strip,
  uncoveredPart,
  type Organization,
  type Role,
} from "../integrations/grants";
import type { TrutoClient } from "../truto/client";
import { TrutoError, TrutoErrorCodes, isTrutoError, type TrutoErrorCode } from "../truto/errors";
import { assignRoles, getIntegration, readHolding, unassignRoles, type AssignmentRequest, type Holding, type WriteOutcome } from "../truto/user-directory";
import { INPUT_KEYS, type RoleAssignmentInputs } from "./inputs";

/** What the lifecycle needs from the provider's configuration. */
export interface LifecycleContext {
  client: TrutoClient;
  settleMs: number;
}

/** Outputs: every input (normalised), plus what was read back. */
export interface RoleAssignmentOutputs extends RoleAssignmentInputs {
  assignmentId: string;
  /** The declared roles the user held at the last create, update or refresh. */
  heldRoles: Role[];
  user: { id: string; name?: string; email?: string; status?: string };
}

type Props = Record<string, unknown>;

/** The error Pulumi records as a partial failure: `id` and `properties` reach state. */
export class PartialFailure extends TrutoError {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(TrutoErrorCodes.partial, message);
  }
}

function inputsOf(props: Props): RoleAssignmentInputs {
  const out: Props = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined) out[key] = props[key];
  return out as unknown as RoleAssignmentInputs;
}

function requestOf(i: RoleAssignmentInputs): AssignmentRequest {
  return strip({
    integratedAccountId: i.integratedAccountId,
    userId: i.userId,
    workspaceId: i.workspaceId,
    organizations: i.organizations as Organization[] | undefined,
    remoteData: i.remoteData,
    remoteQuery: i.remoteQuery,
  });
}

function where(rule: IntegrationRule, i: RoleAssignmentInputs): string {
  const scope = i.workspaceId ? ` workspace ${i.workspaceId}` : i.organizations?.length ? ` organizations ${i.organizations.map((o) => o.id).join(", ")}` : "";
  return `user "${i.userId}" in ${rule.displayName} account ${i.integratedAccountId}${scope}`;
}

function label(r: Role): string {
  const scope = [r.workspace && `workspace ${r.workspace}`, r.organization && `organization ${r.organization}`, r.group && `group ${r.group}`].filter(Boolean);
  return `${r.name ? `${r.name} (${r.id})` : r.id}${scope.length ? ` in ${scope.join(", ")}` : ""}`;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Reads back until `done` holds or the settle window closes; returns the last reading.
 *
 * "User not found" right after a write is not believed at once: a user just written to can be briefly
 * invisible to reads (a new user still propagating, a replica behind). So a reading without the user never
 * ends the wait early: the reads go on through the settle window, at least twice, and only a user still not
 * found at the end is returned as such. What that then means is for the caller to decide from the writes
 * (see readBack and remove).
 */
async function settle(ctx: LifecycleContext, rule: IntegrationRule, req: AssignmentRequest, done: (h: Holding) => boolean): Promise<Holding> {
  const started = Date.now();
  let wait = 100;
  for (let reads = 1; ; reads++) {
    const holding = await readHolding(ctx.client, rule, req, true);
    const closing = Date.now() - started + wait > ctx.settleMs;
    if (holding.user !== null ? done(holding) || closing : closing && reads >= 2) return holding;
    await sleep(wait);
    wait = Math.min(wait * 2, 2_000);
  }
}

/** How many reasons or roles a message lists before "…and N more", and how long one may be. */
const MAX_LISTED = 10;
const MAX_ITEM_CHARS = 1_000;

// The middle goes: an error's start names the code and the request, its end says what to do.
function clip(text: string): string {
  if (text.length <= MAX_ITEM_CHARS) return text;
  const head = Math.floor(MAX_ITEM_CHARS * 0.6);
  const tail = MAX_ITEM_CHARS - head - 20;
  return `${text.slice(0, head)} …(${text.length - head - tail} characters left out)… ${text.slice(-tail)}`;
}

/**
 * At most MAX_LISTED items, each clipped, then "…and N more": a partial-failure record or an error must
 * always fit in what the host can send back, whatever the number of roles or the length of a vendor's text.
 */
function bounded(items: readonly string[]): string[] {
  const shown = items.slice(0, MAX_LISTED).map(clip);
  return items.length > MAX_LISTED ? [...shown, `…and ${items.length - MAX_LISTED} more`] : shown;
}

function labels(roles: readonly Role[]): string {
  return bounded(roles.map(label)).join(", ");
}

// By id: a role narrowed to some of its organizations was sent as the role itself, and one resource holds
// each id once per scope, so the request that carried the id is the one whose answer explains it.
function errorFor(role: Role, outcomes: WriteOutcome[]): unknown {
  return outcomes.find((o) => o.error !== undefined && o.roles.some((r) => r.id === role.id))?.error;
}

function reasonFor(verb: string, role: Role, outcomes: WriteOutcome[]): string {
  const e = errorFor(role, outcomes);
  const why = e ? ((e as Error).message ?? String(e)) : `Truto reported success, but the role did not show up as ${verb === "grant" ? "held" : "gone"} when read back`;
  return `could not ${verb} ${label(role)}: ${why}`;
}

// A definitive rejection means the write did not happen; anything else (timeouts, 5xx, garbled or
// misleading answers) might have, so state must keep a record of it.
const DEFINITIVE: readonly TrutoErrorCode[] = [
  TrutoErrorCodes.unauthorized,
  TrutoErrorCodes.forbidden,
  TrutoErrorCodes.notFound,
  TrutoErrorCodes.validation,
  TrutoErrorCodes.remote,
  TrutoErrorCodes.conflict,
];
function uncertain(outcomes: WriteOutcome[]): boolean {
  return outcomes.some((o) => o.error === undefined || !DEFINITIVE.some((c) => isTrutoError(o.error, c)));
}

function firstCode(outcomes: WriteOutcome[], fallback: TrutoErrorCode): TrutoErrorCode {
  const e = outcomes.find((o) => o.error !== undefined)?.error as { code?: string } | undefined;
  return isTrutoError(e) ? (e.code as TrutoErrorCode) : fallback;
}

function outputsOf(i: RoleAssignmentInputs, id: string, held: Role[], holding: Holding, previousUser?: unknown): RoleAssignmentOutputs {
  const user = holding.user ?? (previousUser as RoleAssignmentOutputs["user"] | undefined) ?? { id: i.userId };
  return strip({ ...i, roles: sortRoles(i.roles), assignmentId: id, heldRoles: sortRoles(held), user: strip(user) });
}

function newId(i: RoleAssignmentInputs): string {
  const scope = i.workspaceId ?? i.organizations?.map((o) => o.id).join("+");
  return [i.integration, i.integratedAccountId, i.userId, scope, randomUUID().slice(0, 8)].filter(Boolean).join(":");
}

/** Confirms the account belongs to the declared integration (cached per process). */
async function confirmIntegration(ctx: LifecycleContext, i: RoleAssignmentInputs): Promise<void> {
  const actual = await getIntegration(ctx.client, i.integratedAccountId);
  if (actual !== i.integration) {
    throw new TrutoError(
      TrutoErrorCodes.integrationMismatch,
      `integrated account ${i.integratedAccountId} is a "${actual}" account, but the resource says integration "${i.integration}". Fix integration, or use the account id of the ${i.integration} connection.`,
      { integratedAccountId: i.integratedAccountId },
    );
  }
}

/** Grants the declared roles; a role the user already holds counts as granted (existing access is adopted). */
export async function create(ctx: LifecycleContext, props: Props): Promise<{ id: string; outs: RoleAssignmentOutputs }> {
  const i = inputsOf(props);
  const rule = ruleFor(i.integration);
  const req = requestOf(i);
  await confirmIntegration(ctx, i);
  const outcomes = await assignRoles(ctx.client, rule, req, i.roles);
  const id = newId(i);
  const holding = await readBack(
    ctx,
    rule,
    req,
    (h) => i.roles.every((r) => roleHeld(rule, req, r, h.held)),
    outcomes,
    // Nothing confirmed: state claims every declared role (so destroy revokes them) and holds none (so
    // the next run grants them again, which is idempotent).
    () => ({ id, properties: { ...outputsOf(i, id, [], { user: null, held: [] }), __provider: props.__provider } }),
    `granting to ${where(rule, i)}`,
  );
  if (holding.user === null) {
    throw new TrutoError(TrutoErrorCodes.notFound, `${where(rule, i)} does not exist; check userId.`, { integratedAccountId: i.integratedAccountId });
  }
  const held = heldPart(rule, req, i.roles, holding.held);
  const missing = uncoveredPart(rule, req, i.roles, held);
  const outs = outputsOf(i, id, held, holding);
  if (missing.length === 0) return { id, outs };

  const reasons = bounded(missing.map((r) => reasonFor("grant", r, outcomes)));
  const failed = outcomes.filter((o) => o.roles.some((r) => missing.some((m) => m.id === r.id)));
  if (held.length === 0 && !uncertain(failed)) {
    throw new TrutoError(firstCode(failed, TrutoErrorCodes.grantNotConfirmed), `nothing was granted to ${where(rule, i)}. ${reasons.join("; ")}`, {
      integratedAccountId: i.integratedAccountId,
    });
  }
  const whole = i.roles.filter((r) => roleHeld(rule, req, r, holding.held)).length;
  throw new PartialFailure(
    `granted ${whole} of ${i.roles.length} roles to ${where(rule, i)}; ${reasons.join("; ")}. State records the assignment; run \`pulumi up\` again to converge.`,
    id,
    { ...outs, __provider: props.__provider },
    reasons,
  );
}

/**
 * Reads what the user really holds. Gone, or no declared role held anywhere: the assignment is gone. A role
 * held in only some of its scopes (an Elastic role still held in one of two organizations) is drift, not
 * gone: it stays, narrowed to where it is held, so the next preview shows the re-grant and destroy revokes it.
 */
export async function read(ctx: LifecycleContext, id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
  const i = inputsOf(props);
  const rule = ruleFor(i.integration);
  const req = requestOf(i);
  const holding = await readHolding(ctx.client, rule, req);
  const held = sortRoles(heldPart(rule, req, i.roles ?? [], holding.held));
  if (holding.user === null || held.length === 0) return { id: "" };
  // What drifted away is dropped from both outputs and inputs, so the next preview shows the re-grant.
  const current = { ...i, roles: held };
  return { id, props: { ...outputsOf(current, id, held, holding, props.user) }, inputs: strip({ ...current }) as Props };
}

/** Grants added roles, then revokes removed ones (Elastic: revoke the scope, then re-grant what stays). */
export async function update(ctx: LifecycleContext, id: string, olds: Props, news: Props): Promise<RoleAssignmentOutputs> {
  const i = inputsOf(news);
  const rule = ruleFor(i.integration);
  const req = requestOf(i);
  const oldRoles = onWire(rule, [...((olds.roles as Role[]) ?? []), ...((olds.heldRoles as Role[]) ?? [])]);
  const heldBefore = onWire(rule, (olds.heldRoles as Role[] | undefined) ?? (olds.roles as Role[]) ?? []);
  // Judged on grants, not on role keys: an Elastic role a refresh narrowed to the organization where it is
  // still held is re-granted where it is missing, and not revoked where it stays.
  const toGrant = uncoveredPart(rule, req, i.roles, heldBefore);
  const removed = dedupe(uncoveredPart(rule, req, oldRoles, i.roles));
  if (toGrant.length === 0 && removed.length === 0) {
    // remoteData / remoteQuery only apply to the next call that needs them.
    return outputsOf(i, id, i.roles, { user: null, held: [] }, olds.user);
  }
  const revokesScope = rule.revokes === "whole-scope" && removed.length > 0;
  let outcomes: WriteOutcome[];
  if (revokesScope) {
    outcomes = await unassignRoles(ctx.client, rule, req, removed);
    outcomes.push(...(await assignRoles(ctx.client, rule, req, i.roles)));
  } else {
    outcomes = await assignRoles(ctx.client, rule, req, toGrant);
    outcomes.push(...(await unassignRoles(ctx.client, rule, req, removed)));
  }
  const holding = await readBack(
    ctx,
    rule,
    req,
    (h) => i.roles.every((r) => roleHeld(rule, req, r, h.held)) && !removed.some((r) => roleAnyHeld(rule, req, r, h.held)),
    outcomes,
    // Unconfirmed: keep the removed roles in state (the next run revokes them) and count as held only
    // what nothing touched (the next run re-grants the rest).
    () => {
      const untouched = revokesScope ? [] : heldPart(rule, req, i.roles, heldBefore.flatMap((r) => grantsOf(rule, req, r)));
      const outs = outputsOf(i, id, untouched, { user: null, held: [] }, olds.user);
      return { id, properties: { ...outs, roles: sortRoles(dedupe([...i.roles, ...removed])), __provider: news.__provider } };
    },
    `updating ${where(rule, i)}`,
  );
  if (holding.user === null) {
    throw new TrutoError(TrutoErrorCodes.notFound, `${where(rule, i)} no longer exists; run \`pulumi refresh\` to drop the assignment from state.`, {
      integratedAccountId: i.integratedAccountId,
    });
  }
  const held = heldPart(rule, req, i.roles, holding.held);
  const missing = uncoveredPart(rule, req, i.roles, held);
  const stillHeld = heldPart(rule, req, removed, holding.held);
  const outs = outputsOf(i, id, held, holding);
  if (missing.length === 0 && stillHeld.length === 0) return outs;
  const reasons = bounded([...missing.map((r) => reasonFor("grant", r, outcomes)), ...stillHeld.map((r) => reasonFor("revoke", r, outcomes))]);
  // State must keep what is really held: roles that could not be revoked stay, so the next run revokes them.
  const recorded = strip({
    ...outs,
    roles: sortRoles(dedupe([...i.roles, ...stillHeld])),
    heldRoles: sortRoles(dedupe([...held, ...stillHeld])),
    __provider: news.__provider,
  });
  throw new PartialFailure(
    `updated ${where(rule, i)} only in part: ${reasons.join("; ")}. Run \`pulumi up\` again to converge.`,
    id,
    recorded,
    reasons,
  );
}

/**
 * Revokes every role in state and confirms by reading back. Succeeds when the roles, or the user, are gone;
 * fails, leaving the resource in state, while any role is still held or the revoke cannot be confirmed.
 */
export async function remove(ctx: LifecycleContext, id: string, props: Props): Promise<void> {
  const i = inputsOf(props);
  const rule = ruleFor(i.integration);
  const req = requestOf(i);
  const roles = onWire(rule, [...((props.roles as Role[]) ?? []), ...((props.heldRoles as Role[]) ?? [])]);
  const outcomes = await unassignRoles(ctx.client, rule, req, roles);
  let holding: Holding;
  try {
    holding = await settle(ctx, rule, req, (h) => !roles.some((r) => roleAnyHeld(rule, req, r, h.held)));
  } catch (e) {
    // Without a read-back nothing is confirmed, whatever the revoke answered.
    if (!isTrutoError(e)) throw e;
    throw new TrutoError(
      e.code as TrutoErrorCode,
      `could not confirm that ${where(rule, i)} no longer holds ${labels(roles)}; the assignment stays in state. ${clip(e.message.replace(/^\[[A-Z_]+\] /, ""))}`,
      { integratedAccountId: i.integratedAccountId },
    );
  }
  if (holding.user === null) {
    // The user is taken as gone when every read through the settle window said "not found" and no revoke
    // was refused: each answered success or the vendor's own "not found", which is Truto's way of saying
    // there was nothing to revoke. A revoke refused for another reason (403, 5xx after retries) proves
    // nothing about the user, so the destroy fails and keeps state rather than trust the reads alone.
    const refused = outcomes.filter((o) => o.error !== undefined);
    if (refused.length === 0) return;
    const reasons = bounded(roles.map((r) => reasonFor("revoke", r, refused)));
    throw new TrutoError(
      firstCode(refused, TrutoErrorCodes.revokeNotConfirmed),
      `could not confirm that ${where(rule, i)} no longer holds ${labels(roles)}: the user was not found when read back, but the revoke was refused. ${reasons.join("; ")}. The assignment stays in state; fix the cause and run \`pulumi destroy\` again.`,
      { integratedAccountId: i.integratedAccountId },
    );
  }
  const still = heldPart(rule, req, roles, holding.held);
  if (still.length === 0) return;
  const reasons = bounded(still.map((r) => reasonFor("revoke", r, outcomes)));
  throw new TrutoError(
    firstCode(outcomes, TrutoErrorCodes.revokeNotConfirmed),
    `${where(rule, i)} still holds ${labels(still)} after the revoke. ${reasons.join("; ")}. The assignment stays in state; fix the cause and run \`pulumi destroy\` (or \`pulumi up\`) again.`,
    { integratedAccountId: i.integratedAccountId },
  );
}

/**
 * Reads back after writes (see settle) and decides what a result that cannot be seen means.
 *
 * If every write was refused outright (a definitive 4xx, such as the vendor's "user not found" on the write
 * itself), nothing changed: a failed read's error stands, and a user still not found through the settle
 * window really is gone, and the caller says so. If any write may have landed (it answered success, or
 * failed in a way that leaves it unknown), a failed read or a user not found is no proof that nothing is
 * held: a write that succeeded found the user a moment earlier. The result is then recorded as a partial
 * failure, so state knows of access that may exist (a plain error would leave a grant nobody destroys).
 */
async function readBack(
  ctx: LifecycleContext,
  rule: IntegrationRule,
  req: AssignmentRequest,
  done: (h: Holding) => boolean,
  outcomes: WriteOutcome[],
  record: () => { id: string; properties: Props },
  doing: string,
): Promise<Holding> {
  let why: string;
  try {
    const holding = await settle(ctx, rule, req, done);
    if (holding.user !== null || !uncertain(outcomes)) return holding;
    why = `user "${req.userId}" was not found when read back through the settle window (${ctx.settleMs} ms), although the write may have landed; a user just written to can be briefly invisible, so this is not taken as gone (if the user was deleted, \`pulumi refresh\` drops the assignment).`;
  } catch (readError) {
    if (!uncertain(outcomes)) throw readError;
    why = clip((readError as Error)?.message ?? String(readError));
  }
  const { id, properties } = record();
  throw new PartialFailure(
    `the result of ${doing} could not be read back to confirm it: ${why} State records the assignment as unconfirmed; run \`pulumi up\` again to converge.`,
    id,
    properties,
    [`read-back failed: ${why}`],
  );
}

/** Roles from state, as they are sent and confirmed: without scope fields the read-back cannot report. */
function onWire(rule: IntegrationRule, roles: Role[]): Role[] {
  return dedupe(roles.map((r) => confirmable(rule, r)));
}

function dedupe(roles: Role[]): Role[] {
  const seen = new Set<string>();
  return roles.filter((r) => (seen.has(roleKey(r)) ? false : (seen.add(roleKey(r)), true)));
}
