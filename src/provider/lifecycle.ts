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
  isHeld,
  roleAnyHeld,
  roleHeld,
  roleKey,
  sortRoles,
  strip,
  uncoveredPart,
  type Grant,
  type Organization,
  type Role,
} from "../integrations/grants";
import { TrutoError, TrutoErrorCodes, isTrutoError, type TrutoErrorCode } from "../truto/errors";
import {
  assignRoles,
  readHolding,
  unassignRoles,
  type AssignmentRequest,
  type Holding,
  type ReadAbout,
  type UserSummary,
  type WriteOutcome,
} from "../truto/user-directory";
import { confirmAccount } from "./account-check";
import { confirmPlacement } from "./placement-check";
import { claimantName, claimedByOthers, exclusive, recordClaim, releaseClaim, type KeptGrant } from "./claims";
import { label, where } from "./describe";
import { INPUT_KEYS, type RoleAssignmentInputs } from "./inputs";
import { declaredRole, expiredKeys, splitByExpiry, type ExpiredRole } from "./expiry";
import { guardLastHolders, heldAgain } from "./last-holder";
import { notice } from "./notice";
import { readBack, settle, type ReadBackContext } from "./read-back";
import { bounded, clip, firstCode, labels, PartialFailure, reasonFor, uncertain } from "./write-outcomes";

export { PartialFailure } from "./write-outcomes";

/** What the lifecycle needs from the provider's configuration. */
export interface LifecycleContext extends ReadBackContext {
  /** Words that protect a role from losing its last holder, beyond the defaults (see last-holder.ts). */
  protectedRoles?: readonly string[];
}

/** Outputs: every input (normalised), plus what was read back. */
export interface RoleAssignmentOutputs extends RoleAssignmentInputs {
  assignmentId: string;
  /** The declared roles the user held at the last create, update or refresh. */
  heldRoles: Role[];
  /**
   * The declared roles the user already held when this resource first claimed them (its create, or the
   * update that added them), recorded while `onDelete` is `"restore"`, whose destroy leaves these in place.
   * A role this resource granted is never adopted.
   */
  adoptedRoles?: Role[];
  /** The declared roles not expired at the last create, update or refresh: the access this resource grants. */
  activeRoles: Role[];
  /** The declared roles whose `expiresAt` (their own or the resource's) had passed then, each with `expiredAt`: revoked, never granted again. */
  expiredRoles: ExpiredRole[];
  user: UserSummary;
}

type Props = Record<string, unknown>;

function inputsOf(props: Props): RoleAssignmentInputs {
  const out: Props = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined) out[key] = props[key];
  return out as unknown as RoleAssignmentInputs;
}

/** The inputs as the lifecycle acts on them at `now`: `roles` are the active roles, `expired` the rest. */
interface LiveInputs extends RoleAssignmentInputs {
  expired: ExpiredRole[];
}

function live(i: RoleAssignmentInputs, now: number = Date.now()): LiveInputs {
  const { active, expired } = splitByExpiry(i.roles ?? [], i.expiresAt, now);
  return { ...i, roles: active, expired };
}

/** The roles state still declares as access: expired roles are left out once state records them as expired. */
function declaredInState(props: Props): Role[] {
  const expired = expiredKeys(props.expiredRoles);
  return ((props.roles as Role[] | undefined) ?? []).filter((r) => !expired.has(roleKey(r)));
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

function outputsOf(
  live: LiveInputs,
  id: string,
  held: Role[],
  holding: Holding,
  previousUser: unknown,
  adopted: Role[] | undefined,
): RoleAssignmentOutputs {
  const { expired, ...i } = live;
  const user = holding.user ?? (previousUser as RoleAssignmentOutputs["user"] | undefined) ?? { id: i.userId };
  // The expired roles stay declared (the program still lists them); only activeRoles are access.
  const roles = sortRoles([...i.roles, ...expired.map(declaredRole)]);
  return strip({
    ...i,
    roles,
    activeRoles: sortRoles(i.roles),
    expiredRoles: sortRoles(expired),
    assignmentId: id,
    heldRoles: sortRoles(held),
    adoptedRoles: adopted && sortRoles(dedupe(adopted)),
    user: strip(user),
  });
}

/**
 * What the reads of one operation look at: every role it writes, confirms or reports (a role left out would read
 * as not held; see ReadAbout), and the user as state last recorded them, when it is this user.
 */
function readingOf(i: RoleAssignmentInputs, roles: readonly Grant[], recordedUser?: unknown): ReadAbout {
  const user = recordedUser as UserSummary | undefined;
  return { roles: [...new Set(roles.map((r) => r.id))], user: user?.id === i.userId ? user : undefined };
}

/** Whether this resource records which roles it adopts: only with onDelete "restore", whose destroy uses them. */
function tracksAdoption(i: RoleAssignmentInputs): boolean {
  return i.onDelete === "restore";
}

/** `adopted`, narrowed to the grants `roles` still declare (an adopted role removed from the program is no longer this resource's). */
function adoptedWithin(rule: IntegrationRule, scope: AssignmentRequest, adopted: readonly Role[], roles: readonly Role[]): Role[] {
  return heldPart(
    rule,
    scope,
    adopted,
    roles.flatMap((r) => grantsOf(rule, scope, r)),
  );
}

/**
 * Runs a create or update and records what state will hold for it as this resource's claims (see
 * claims.ts): its roles after success, or the roles a partial failure records.
 */
async function claiming<T>(
  rule: IntegrationRule,
  req: AssignmentRequest,
  claimed: (result: T) => { id: string; roles: Role[] },
  name: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    const result = await run();
    const { id, roles } = claimed(result);
    recordClaim({ id, name }, rule, req, roles);
    return result;
  } catch (e) {
    if (e instanceof PartialFailure) recordClaim({ id: e.id, name }, rule, req, (e.properties.roles as Role[]) ?? []);
    throw e;
  }
}

/** How a grant is named in a notice. */
function grantLabel(g: Grant): string {
  return label(g as Role);
}

/** Who a resource is in messages: its Pulumi name when state has it, else its id. */
function selfName(i: RoleAssignmentInputs, id: string): string {
  return claimantName({ id, name: i.resourceName });
}

function newId(i: RoleAssignmentInputs): string {
  const scope = i.workspaceId ?? i.organizations?.map((o) => o.id).join("+");
  return [i.integration, i.integratedAccountId, i.userId, scope, randomUUID().slice(0, 8)].filter(Boolean).join(":");
}

/** Grants the declared roles; a role the user already holds counts as granted (existing access is adopted). */
export async function create(ctx: LifecycleContext, props: Props): Promise<{ id: string; outs: RoleAssignmentOutputs }> {
  // An expired role is never granted (time may pass between check and create).
  const i = live(inputsOf(props));
  const rule = ruleFor(i.integration);
  const req = requestOf(i);
  await confirmAccount(ctx.client, i, "create");
  await confirmPlacement(ctx.client, rule, ["assign-role"], i.integratedAccountId);
  return exclusive(req, () =>
    claiming(
      rule,
      req,
      (r) => ({ id: r.id, roles: r.outs.activeRoles }),
      i.resourceName,
      () => createNow(ctx, props, i, rule, req),
    ),
  );
}

async function createNow(
  ctx: LifecycleContext,
  props: Props,
  i: LiveInputs,
  rule: IntegrationRule,
  req: AssignmentRequest,
): Promise<{ id: string; outs: RoleAssignmentOutputs }> {
  // With onDelete "restore", what the user holds before anything is written is what this resource adopts.
  // Read fresh: a role wrongly taken as adopted would survive the destroy. A failed read fails the create
  // before any write; a user not found adopts nothing and the writes below decide. The default needs no
  // such read, so it costs none (restore is opt-in, and so is its request).
  const reading = readingOf(i, i.roles);
  const before = tracksAdoption(i) ? await readHolding(ctx.client, rule, req, true, reading) : undefined;
  const adopted = before ? heldPart(rule, req, i.roles, before.held) : undefined;
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
    () => ({ id, properties: { ...outputsOf(i, id, [], { user: null, held: [] }, undefined, adopted), __provider: props.__provider } }),
    `granting to ${where(rule, i)}`,
    reading,
  );
  if (holding.user === null) {
    throw new TrutoError(TrutoErrorCodes.notFound, `${where(rule, i)} does not exist; check userId.`, {
      integratedAccountId: i.integratedAccountId,
    });
  }
  const held = heldPart(rule, req, i.roles, holding.held);
  heldAgain(ctx.client, rule, req, held);
  const missing = uncoveredPart(rule, req, i.roles, held);
  const outs = outputsOf(i, id, held, holding, undefined, adopted);
  if (missing.length === 0) return { id, outs };

  const reasons = bounded(missing.map((r) => reasonFor("grant", r, outcomes)));
  const failed = outcomes.filter((o) => o.roles.some((r) => missing.some((m) => m.id === r.id)));
  if (held.length === 0 && !uncertain(failed)) {
    throw new TrutoError(
      firstCode(failed, TrutoErrorCodes.grantNotConfirmed),
      `nothing was granted to ${where(rule, i)}. ${reasons.join("; ")}`,
      {
        integratedAccountId: i.integratedAccountId,
      },
    );
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
  const i = live(inputsOf(props));
  const rule = ruleFor(i.integration);
  const req = requestOf(i);
  // A refresh of an account that is not active fails rather than read its errors as "gone".
  await confirmAccount(ctx.client, i, "read");
  const holding = await readHolding(ctx.client, rule, req);
  const held = sortRoles(heldPart(rule, req, i.roles, holding.held));
  // Expired roles are remembered, held or not: a resource whose roles all expired holds nothing and stays.
  if (holding.user === null || (held.length === 0 && i.expired.length === 0)) {
    releaseClaim(id);
    return { id: "" };
  }
  // What drifted away is dropped from both outputs and inputs, so the next preview shows the re-grant
  // (which then grants it: a role granted again is no longer adopted). Expired roles stay in the inputs,
  // so a refresh never turns them into a re-grant; one still held stays in heldRoles, so the next
  // preview shows the update that revokes it.
  const current: LiveInputs = { ...i, roles: held };
  const heldExpired = heldPart(rule, req, i.expired.map(declaredRole), holding.held);
  const recorded = props.adoptedRoles as Role[] | undefined;
  const adopted = recorded && adoptedWithin(rule, req, heldPart(rule, req, recorded, holding.held), held);
  recordClaim({ id, name: i.resourceName }, rule, req, held);
  const outs = outputsOf(current, id, [...held, ...heldExpired], holding, props.user, adopted);
  return { id, props: { ...outs }, inputs: strip({ ...inputsOf(outs as unknown as Props) }) as Props };
}

/** Grants added roles, then revokes removed ones (Elastic: revoke the scope, then re-grant what stays). */
export async function update(ctx: LifecycleContext, id: string, olds: Props, news: Props): Promise<RoleAssignmentOutputs> {
  // A role whose time has passed is no longer declared access: the removal path below revokes it.
  const i = live(inputsOf(news));
  const req = requestOf(i);
  const rule = ruleFor(i.integration);
  await confirmAccount(ctx.client, i, "update");
  await confirmPlacement(ctx.client, rule, ["assign-role", "unassign-role"], i.integratedAccountId);
  return exclusive(req, () =>
    claiming(
      rule,
      req,
      (outs) => ({ id, roles: outs.activeRoles }),
      i.resourceName,
      () => updateNow(ctx, id, olds, news, i, rule, req),
    ),
  );
}

async function updateNow(
  ctx: LifecycleContext,
  id: string,
  olds: Props,
  news: Props,
  i: LiveInputs,
  rule: IntegrationRule,
  req: AssignmentRequest,
): Promise<RoleAssignmentOutputs> {
  const oldRoles = onWire(rule, [...declaredInState(olds), ...((olds.heldRoles as Role[]) ?? [])]);
  const heldBefore = onWire(rule, (olds.heldRoles as Role[] | undefined) ?? (olds.roles as Role[]) ?? []);
  const adoptedInState = olds.adoptedRoles as Role[] | undefined;
  const adoptedBefore = adoptedInState ? adoptedWithin(rule, req, onWire(rule, adoptedInState), i.roles) : undefined;
  // Judged on grants, not on role keys: an Elastic role a refresh narrowed to the organization where it is
  // still held is re-granted where it is missing, and not revoked where it stays.
  const toGrant = uncoveredPart(rule, req, i.roles, heldBefore);
  const dropped = dedupe(uncoveredPart(rule, req, oldRoles, i.roles));
  // A dropped role another live resource claims (a role moved to it) stays where it is.
  const droppedGrants = dropped.flatMap((r) => grantsOf(rule, req, r));
  const keptForOthers = claimedByOthers(id, req, (g) => droppedGrants.some((d) => roleKey(d) === roleKey(g)));
  const removed = uncoveredPart(
    rule,
    req,
    dropped,
    keptForOthers.map((k) => k.grant),
  );
  if (toGrant.length === 0 && removed.length === 0 && keptForOthers.length === 0) {
    // remoteData / remoteQuery / onDelete only apply to the next call that needs them.
    return outputsOf(i, id, i.roles, { user: null, held: [] }, olds.user, adoptedBefore);
  }
  // A protected role losing its last holder is refused before any write (see last-holder.ts).
  await guardLastHolders(ctx, rule, req, i, removed, selfName(i, id));
  const revokesScope = rule.revokes === "whole-scope" && removed.length > 0;
  // Grants other live resources hold in the scope a scope-wide revoke clears are given back: their state
  // says they hold them.
  const giveBack = revokesScope ? claimedByOthers(id, req, (g) => inOrganizations(g, req)) : [];
  const reading = readingOf(i, [...i.roles, ...oldRoles, ...giveBack.map((k) => k.grant)], olds.user);
  // With onDelete "restore", what the user holds before the writes: which added roles are adopted.
  const before = toGrant.length > 0 && tracksAdoption(i) ? await readHolding(ctx.client, rule, req, true, reading) : undefined;
  const adopted =
    before || adoptedBefore ? [...(adoptedBefore ?? []), ...(before ? heldPart(rule, req, toGrant, before.held) : [])] : undefined;
  let outcomes: WriteOutcome[];
  if (revokesScope) {
    outcomes = await unassignRoles(ctx.client, rule, req, removed);
    outcomes.push(...(await assignRoles(ctx.client, rule, req, dedupe([...i.roles, ...giveBack.map((k) => k.grant as Role)]))));
  } else {
    outcomes = await assignRoles(ctx.client, rule, req, toGrant);
    outcomes.push(...(await unassignRoles(ctx.client, rule, req, removed)));
  }
  const holding = await readBack(
    ctx,
    rule,
    req,
    (h) =>
      i.roles.every((r) => roleHeld(rule, req, r, h.held)) &&
      !removed.some((r) => roleAnyHeld(rule, req, r, h.held)) &&
      giveBack.every((k) => isHeldIn(k.grant, h)),
    outcomes,
    // Unconfirmed: keep the removed roles in state (the next run revokes them) and count as held only
    // what nothing touched (the next run re-grants the rest).
    () => {
      const untouched = revokesScope
        ? []
        : heldPart(
            rule,
            req,
            i.roles,
            heldBefore.flatMap((r) => grantsOf(rule, req, r)),
          );
      const outs = outputsOf(i, id, untouched, { user: null, held: [] }, olds.user, adopted);
      return { id, properties: { ...outs, roles: sortRoles(dedupe([...outs.roles, ...removed])), __provider: news.__provider } };
    },
    `updating ${where(rule, i)}`,
    reading,
  );
  if (holding.user === null) {
    throw new TrutoError(
      TrutoErrorCodes.notFound,
      `${where(rule, i)} no longer exists; run \`pulumi refresh\` to drop the assignment from state.`,
      {
        integratedAccountId: i.integratedAccountId,
      },
    );
  }
  tellKept(selfName(i, id), where(rule, i), "the update", [...keptForOthers, ...giveBack], [], holding);
  const held = heldPart(rule, req, i.roles, holding.held);
  heldAgain(ctx.client, rule, req, held);
  const missing = uncoveredPart(rule, req, i.roles, held);
  const stillHeld = heldPart(rule, req, removed, holding.held);
  const lost = giveBack.filter((k) => !isHeldIn(k.grant, holding));
  const outs = outputsOf(i, id, held, holding, undefined, adopted);
  if (missing.length === 0 && stillHeld.length === 0 && lost.length === 0) return outs;
  const reasons = bounded([
    ...missing.map((r) => reasonFor("grant", r, outcomes)),
    ...stillHeld.map((r) => reasonFor("revoke", r, outcomes)),
    ...lost.map(
      (k) =>
        `${reasonFor("grant", k.grant as Role, outcomes)} (held by ${k.by.map(claimantName).join(", ")}; ${rule.displayName}'s revoke cleared the organization)`,
    ),
  ]);
  // State must keep what is really held: roles that could not be revoked stay, so the next run revokes them.
  const recorded = strip({
    ...outs,
    roles: sortRoles(dedupe([...outs.roles, ...stillHeld])),
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

/** Whether a grant lies in the organizations of `scope` (every grant does when the scope names none). */
function inOrganizations(g: Grant, scope: AssignmentRequest): boolean {
  const orgs = scope.organizations ?? [];
  return orgs.length === 0 || g.organization === undefined || orgs.some((o) => o.id === g.organization);
}

function isHeldIn(g: Grant, h: Holding): boolean {
  return isHeld(g, h.held);
}

/**
 * Says, in the operation's log output, which grants a delete or update left in place and why: another live
 * resource holds them, or (onDelete "restore") the user held them before this resource claimed them.
 */
function tellKept(self: string, whereText: string, op: string, others: KeptGrant[], adopted: Grant[], holding: Holding): void {
  const state = (g: Grant) =>
    holding.user !== null && isHeldIn(g, holding) ? "still held" : "not held now, which is that resource's to converge";
  const seen = new Set<string>();
  for (const k of others) {
    if (seen.has(roleKey(k.grant))) continue;
    seen.add(roleKey(k.grant));
    notice(
      `${op} of RoleAssignment ${self} left ${grantLabel(k.grant)} of ${whereText} in place: ${k.by.map(claimantName).join(" and ")} ${k.by.length === 1 ? "holds" : "hold"} it in this deployment (${state(k.grant)}).`,
    );
  }
  for (const g of adopted) {
    notice(
      `${op} of RoleAssignment ${self} left ${grantLabel(g)} of ${whereText} in place: the user held it before this resource claimed it (onDelete: "restore"; ${holding.user !== null && isHeldIn(g, holding) ? "still held" : "no longer held"}).`,
    );
  }
}

/**
 * Revokes every role in state and confirms by reading back. Succeeds when the roles, or the user, are gone;
 * fails, leaving the resource in state, while any role is still held or the revoke cannot be confirmed.
 * Grants another live resource claims in this deployment stay (a rename or a move), and so, with
 * `onDelete: "restore"`, do the adopted roles; where the revoke is scope-wide they are given back.
 */
export async function remove(ctx: LifecycleContext, id: string, props: Props): Promise<void> {
  const i = inputsOf(props);
  const req = requestOf(i);
  // Never "assume revoked": an account that is not active (or a sandbox) fails the delete and keeps state.
  await confirmAccount(ctx.client, i, "delete");
  const rule = ruleFor(i.integration);
  await confirmPlacement(ctx.client, rule, ["unassign-role"], i.integratedAccountId);
  await exclusive(req, () => removeNow(ctx, id, props, i, rule, req));
  releaseClaim(id);
}

async function removeNow(
  ctx: LifecycleContext,
  id: string,
  props: Props,
  i: RoleAssignmentInputs,
  rule: IntegrationRule,
  req: AssignmentRequest,
): Promise<void> {
  // An expired role state records as revoked is not held: destroy sends nothing for it.
  const declared = onWire(rule, [...declaredInState(props), ...((props.heldRoles as Role[]) ?? [])]);
  const mine = declared.flatMap((r) => grantsOf(rule, req, r));
  const adoptedGrants =
    i.onDelete === "restore"
      ? adoptedWithin(rule, req, onWire(rule, (props.adoptedRoles as Role[] | undefined) ?? []), declared).flatMap((r) =>
          grantsOf(rule, req, r),
        )
      : [];
  const keptForOthers = claimedByOthers(id, req, (g) => mine.some((m) => roleKey(m) === roleKey(g)));
  const roles = uncoveredPart(rule, req, declared, [...keptForOthers.map((k) => k.grant), ...adoptedGrants]);
  // A protected role losing its last holder is refused before any write (see last-holder.ts).
  await guardLastHolders(ctx, rule, req, i, roles, selfName(i, id));
  const wholeScope = rule.revokes === "whole-scope";
  // A scope-wide revoke clears only the organizations of the roles it must revoke. What other live resources
  // hold there is given back (their state says they hold it), and so is what this resource adopted there,
  // if the user still held it just before (a role removed by someone else meanwhile is not restored).
  const scope: AssignmentRequest = wholeScope
    ? narrowedTo(
        req,
        roles.flatMap((r) => grantsOf(rule, req, r)),
      )
    : req;
  const inScope = wholeScope && roles.length > 0 ? claimedByOthers(id, scope, (g) => inOrganizations(g, scope)) : [];
  const adoptedInScope = wholeScope && roles.length > 0 ? adoptedGrants.filter((g) => inOrganizations(g, scope)) : [];
  const before = adoptedInScope.length > 0 ? await readHolding(ctx.client, rule, req, true, readingOf(i, adoptedInScope)) : undefined;
  const giveBack = dedupeGrants([
    ...inScope.map((k) => k.grant),
    ...adoptedInScope.filter((g) => before !== undefined && isHeldIn(g, before)),
  ]);
  const reading = readingOf(i, [...declared, ...giveBack], props.user);
  const outcomes = await unassignRoles(ctx.client, rule, scope, roles);
  if (giveBack.length > 0) outcomes.push(...(await assignRoles(ctx.client, rule, req, giveBack as Role[])));
  let holding: Holding;
  try {
    holding = await settle(
      ctx,
      rule,
      req,
      (h) => !roles.some((r) => roleAnyHeld(rule, req, r, h.held)) && giveBack.every((g) => isHeldIn(g, h)),
      reading,
    );
  } catch (e) {
    // Without a read-back nothing is confirmed, whatever the revoke answered.
    if (!isTrutoError(e)) throw e;
    throw new TrutoError(
      e.code as TrutoErrorCode,
      `could not confirm that ${where(rule, i)} no longer holds ${labels(roles.length ? roles : declared)}; the assignment stays in state. ${clip((e as { detail?: string }).detail ?? e.message)}`,
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
  const lost = giveBack.filter((g) => !isHeldIn(g, holding));
  if (still.length === 0 && lost.length === 0) {
    tellKept(
      selfName(i, id),
      where(rule, i),
      "the delete",
      [...keptForOthers, ...inScope.filter((k) => giveBack.includes(k.grant))],
      adoptedGrants,
      holding,
    );
    return;
  }
  const reasons = bounded([
    ...still.map((r) => reasonFor("revoke", r, outcomes)),
    ...lost.map(
      (g) =>
        `${reasonFor("grant", g as Role, outcomes)} (given back after ${rule.displayName}'s revoke cleared the organization: ${keeperOf(g, inScope)})`,
    ),
  ]);
  const what =
    still.length > 0
      ? `still holds ${labels(still)} after the revoke`
      : `lost ${labels(lost as Role[])}, which must stay, when ${rule.displayName}'s scope-wide revoke cleared the organization`;
  throw new TrutoError(
    firstCode(outcomes, TrutoErrorCodes.revokeNotConfirmed),
    `${where(rule, i)} ${what}. ${reasons.join("; ")}. The assignment stays in state; fix the cause and run \`pulumi destroy\` (or \`pulumi up\`) again.`,
    { integratedAccountId: i.integratedAccountId },
  );
}

function dedupeGrants(grants: Grant[]): Grant[] {
  return dedupe(grants as Role[]);
}

function keeperOf(g: Grant, kept: KeptGrant[]): string {
  const by = kept.find((k) => roleKey(k.grant) === roleKey(g))?.by;
  return by
    ? `${by.map(claimantName).join(", ")} ${by.length === 1 ? "holds" : "hold"} it`
    : 'the user held it before this resource claimed it (onDelete: "restore"); if this destroy is not retried soon, grant it again by hand';
}

/** `req` with only the organizations the grants name (all of them when a grant names none). */
function narrowedTo(req: AssignmentRequest, grants: Grant[]): AssignmentRequest {
  if (!req.organizations?.length || grants.some((g) => g.organization === undefined)) return req;
  const ids = new Set(grants.map((g) => g.organization));
  return { ...req, organizations: req.organizations.filter((o) => ids.has(o.id)) };
}

/** Roles from state, as they are sent and confirmed: without scope fields the read-back cannot report. */
function onWire(rule: IntegrationRule, roles: Role[]): Role[] {
  return dedupe(roles.map((r) => confirmable(rule, r)));
}

function dedupe(roles: Role[]): Role[] {
  const seen = new Set<string>();
  return roles.filter((r) => (seen.has(roleKey(r)) ? false : (seen.add(roleKey(r)), true)));
}
