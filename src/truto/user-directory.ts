/**
 * Truto's Unified User Directory calls this package makes, shaped by the integration rules table:
 * which field goes in the query or the body, and how many roles one request may carry.
 */
import { z } from "zod";
import type { RequestField, IntegrationRule, Placement } from "../integrations/rules";
import { placeField, RESERVED_REMOTE_QUERY_KEYS } from "../integrations/rules";
import { roleKey, strip, type AssignmentScope, type Grant, type Role } from "../integrations/grants";
import { encodePathSegment, validated, type TrutoClient, type TrutoRequest } from "./client";
import { TrutoErrorCodes, isTrutoError } from "./errors";
import { ReadCache } from "./read-cache";
import { CoalescedReads } from "./coalesced-reads";
import { MAX_URL_BYTES, wireOrganizations, wireRole } from "./request-size";
import {
  WireCustomResult,
  WireIntegratedAccount,
  WireRoleAssignment,
  WireRoleRecord,
  WireScopeRecord,
  WireUser,
  ListEnvelope,
} from "./wire";
import type { ResponseSchema, WireRoleAssignmentT, WireUserT } from "./wire-types";

const BASE = "/unified/user-directory";

export { MAX_URL_BYTES, MAX_ROLES_PER_RESOURCE, MAX_SINGLE_ROLE_QUERY_BYTES, singleRoleQueryBytes } from "./request-size";

/** What the assignment carries besides its scope. */
export interface AssignmentRequest extends AssignmentScope {
  remoteData?: Record<string, unknown>;
  remoteQuery?: Record<string, unknown>;
}

/** The user as Truto describes them (only what the resource outputs): the one user shape, `RoleAssignmentUser` to users of the resource. */
export interface UserSummary {
  id: string;
  name?: string;
  email?: string;
  status?: string;
}

/** A user and the roles they hold, as read from Truto. `user` is null when the user does not exist. */
export interface Holding {
  user: UserSummary | null;
  held: Grant[];
}

/**
 * What a read is about, so it may cost less: a Slack workspace's listing is narrowed to the roles the reads
 * waiting on it confirm (the row's `assignmentRoleFilter`), and a user already known need not be read again.
 */
export interface ReadAbout {
  /**
   * The role ids the caller looks at. The answer's `held` then has only grants of these roles, whatever the
   * integration (so a role left out reads as not held everywhere, and tests of every row catch it).
   */
  roles: readonly string[];
  /** The user as last read: it stands in for `GET users/{id}` when the listing shows the user holding a role. */
  user?: UserSummary;
}

/** The outcome of one write request (a logical write, with its own Idempotency-Key): the roles it carried and, if it failed, why. */
export interface WriteOutcome {
  roles: Role[];
  error?: unknown;
}

/** `remoteQuery` without reserved keys or keys that could break out of `remote_query[...]`. */
export function safeRemoteQuery(remoteQuery: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!remoteQuery) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(remoteQuery)) {
    if ((RESERVED_REMOTE_QUERY_KEYS as readonly string[]).includes(k) || /[[\]]/.test(k) || k === "__proto__") continue;
    out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Splits the identifying fields between query and body as `placement` says. */
export function placeFields(
  placement: Placement,
  fields: Partial<Record<RequestField, unknown>>,
): { query: Record<string, unknown>; body: Record<string, unknown> } {
  const query: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields) as [RequestField, unknown][]) {
    if (value === undefined) continue;
    const where = placeField(placement, field);
    if (where === "query" || where === "both") query[field] = value;
    if (where === "body" || where === "both") body[field] = value;
  }
  return { query, body };
}

/**
 * The roles of one write split into requests: one role each where the vendor takes one at a time;
 * elsewhere as many as keep the URL within MAX_URL_BYTES (assign-role repeats the roles in the query
 * string: 600 roles hung the host, 20 of 900 characters got 431s, issue 9, item 6). A single role
 * that alone is longer is still sent, alone; `check` bounds roles so that does not happen.
 */
function batches(client: TrutoClient, rule: IntegrationRule, roles: Role[], requestFor: (batch: Role[]) => TrutoRequest): Role[][] {
  if (rule.rolesPerRequest === "one") return roles.map((r) => [r]);
  const out: Role[][] = [];
  let batch: Role[] = [];
  for (const role of roles) {
    if (batch.length && Buffer.byteLength(client.urlFor(requestFor([...batch, role]))) > MAX_URL_BYTES) {
      out.push(batch);
      batch = [];
    }
    batch.push(role);
  }
  if (batch.length) out.push(batch);
  return out;
}

const readCache = new ReadCache();
const accountCache = new Map<string, Promise<AccountInfo>>();

function userKey(client: TrutoClient, scope: AssignmentScope, query: Record<string, string> = {}): string {
  return `${client.baseUrl}|${scope.integratedAccountId}|user|${scope.userId}|${new URLSearchParams(query)}`;
}
function workspaceKey(client: TrutoClient, scope: AssignmentScope): string {
  return `${client.baseUrl}|${scope.integratedAccountId}|ra|${scope.workspaceId ?? ""}`;
}

// Coalesced reads (coalesced-reads.ts): an account's users by id, and a Slack workspace's role assignments.
const userListings = new CoalescedReads<Map<string, WireUserT>>();
const assignmentListings = new CoalescedReads<WireRoleAssignmentT[]>();

/** How long a finished listing may answer reads that need not be fresh: 10 s, or the read cache's lifetime if longer; 0 with the cache off. */
export const LISTING_TTL_MS = 10_000;

function listingTtl(client: TrutoClient): number {
  return client.readCacheMs === 0 ? 0 : Math.max(client.readCacheMs, LISTING_TTL_MS);
}

function accountKey(client: TrutoClient, scope: AssignmentScope): string {
  return `${client.baseUrl}|${scope.integratedAccountId}`;
}

// A write makes stale what shows the user's roles: the account's user listing where the roles are read from
// it, the workspace's role assignments on Slack Enterprise (whose user listing gives only names and status).
function invalidate(client: TrutoClient, rule: IntegrationRule, scope: AssignmentScope): void {
  if (rule.readBack === "user-roles") userListings.forget(accountKey(client, scope));
  assignmentListings.forget(workspaceKey(client, scope));
  // A user read is cached under the query it was sent with: with the row's scope, or none (getUser without a rule).
  for (const query of [{}, userReadQuery(rule, scope)]) readCache.invalidate(userKey(client, scope, query));
  readCache.invalidate(workspaceKey(client, scope));
}

/** What `GET /integrated-account/{id}` says about an integrated account that this package acts on. */
export interface AccountInfo {
  /** The integration slug (`integration.name`), e.g. `slackenterprise`. */
  integration: string;
  /**
   * `active`, `connecting`, `post_install_error`, `validation_error` or `needs_reauth` (Truto's enum,
   * https://truto.one/docs/api-reference/admin/integrated-accounts/list); Truto omitting it counts as `active`.
   */
  status: string;
  /** A Truto sandbox account, which rejects every write with 405. */
  isSandbox: boolean;
}

/**
 * The integration, status and sandbox flag of an integrated account (`GET /integrated-account/{id}`), cached
 * per process once the account is active and writable: one that is not (yet) is asked again next time, so
 * reconnecting it in Truto takes effect without a new process.
 */
export function getAccount(client: TrutoClient, integratedAccountId: string): Promise<AccountInfo> {
  const key = `${client.baseUrl}|${integratedAccountId}`;
  let hit = accountCache.get(key);
  if (!hit) {
    hit = client
      .call({ method: "GET", path: `/integrated-account/${encodePathSegment(integratedAccountId)}` }, WireIntegratedAccount)
      .then((a) => ({ integration: a.integration.name, status: a.status ?? "active", isSandbox: a.is_sandbox }));
    accountCache.set(key, hit);
    const mine = hit;
    const forget = () => accountCache.get(key) === mine && accountCache.delete(key);
    hit.then((a) => (a.status !== "active" || a.isSandbox) && forget(), forget);
  }
  return hit;
}

/** The integration slug of an integrated account (see {@link getAccount}, whose cache it shares). */
export async function getIntegration(client: TrutoClient, integratedAccountId: string): Promise<string> {
  return (await getAccount(client, integratedAccountId)).integration;
}

type WriteMethod = "assign-role" | "unassign-role";

// One write request as it is measured and sent: the fields where `placement` puts them, plus remote fields.
function writeRequest(
  method: WriteMethod,
  req: AssignmentRequest,
  fields: Partial<Record<RequestField, unknown>>,
  placement: Placement,
): TrutoRequest {
  const { query, body } = placeFields(placement, fields);
  const remoteQuery = safeRemoteQuery(req.remoteQuery);
  return {
    method: "POST",
    path: `${BASE}/users/${method}`,
    integratedAccountId: req.integratedAccountId,
    query: remoteQuery ? { ...query, remote_query: remoteQuery } : query,
    body: req.remoteData ? { ...body, remote_data: req.remoteData } : body,
  };
}

/**
 * Sends each batch as one request, all at once, each a logical write of its own (its own Idempotency-Key,
 * kept across its retries). Never throws: `settle` turns an error into the outcome to report.
 */
function writeBatches(
  client: TrutoClient,
  rule: IntegrationRule,
  req: AssignmentRequest,
  groups: Role[][],
  requestFor: (batch: Role[]) => TrutoRequest,
  settle: (batch: Role[], error: unknown) => WriteOutcome = (roles, error) => ({ roles, error }),
): Promise<WriteOutcome[]> {
  return Promise.all(
    groups.map(async (batch) => {
      invalidate(client, rule, req);
      try {
        await client.call(requestFor(batch), WireCustomResult);
        return { roles: batch };
      } catch (error) {
        return settle(batch, error);
      } finally {
        invalidate(client, rule, req);
      }
    }),
  );
}

/** Assigns `roles`, one request per role where the integration takes one at a time; never throws. */
export async function assignRoles(
  client: TrutoClient,
  rule: IntegrationRule,
  req: AssignmentRequest,
  roles: Role[],
): Promise<WriteOutcome[]> {
  const requestFor = (batch: Role[]) =>
    writeRequest(
      "assign-role",
      req,
      { id: req.userId, roles: batch.map(wireRole), workspace_id: req.workspaceId, organizations: wireOrganizations(req.organizations) },
      rule.assignRole,
    );
  return writeBatches(client, rule, req, batches(client, rule, roles, requestFor), requestFor);
}

/**
 * Revokes `roles`. Where unassign-role is scope-wide (Elastic Cloud) one request revokes every role the
 * user holds in the scope, whatever `roles` says; the caller re-grants what must stay. Never throws.
 */
export async function unassignRoles(
  client: TrutoClient,
  rule: IntegrationRule,
  req: AssignmentRequest,
  roles: Role[],
): Promise<WriteOutcome[]> {
  const wholeScope = rule.revokes === "whole-scope";
  const requestFor = (batch: Role[]) =>
    writeRequest(
      "unassign-role",
      req,
      {
        id: req.userId,
        roles: wholeScope ? undefined : batch.map(wireRole),
        workspace_id: req.workspaceId,
        organizations: wireOrganizations(req.organizations),
      },
      rule.unassignRole,
    );
  const groups = wholeScope ? (roles.length ? [roles] : []) : batches(client, rule, roles, requestFor);
  // The vendor's not-found means there is nothing to revoke. Truto's own 404 (the integrated account is
  // not visible to this token) says nothing about the roles, so it stays an error.
  return writeBatches(client, rule, req, groups, requestFor, (batch, error) =>
    isGone(error) ? { roles: batch } : { roles: batch, error },
  );
}

/** The user as the resource outputs it: id, name, primary email, status. */
export function summarize(user: WireUserT): UserSummary {
  const email = user.emails.find((e) => e.is_primary)?.email ?? user.emails[0]?.email ?? undefined;
  const name = user.name ?? ([user.first_name, user.last_name].filter(Boolean).join(" ") || user.username);
  return strip({ id: user.id, name: name || undefined, email: email ?? undefined, status: user.status });
}

/** Whether an error is the vendor saying the user or assignment does not exist (not Truto's own 404). */
export function isGone(e: unknown): boolean {
  return isTrutoError(e, TrutoErrorCodes.notFound) && e.remote;
}

/** The query `GET users/{id}` carries for `rule` (its `userReadQuery`, from the resource's scope). */
function userReadQuery(rule: IntegrationRule | undefined, scope: AssignmentScope): Record<string, string> {
  return rule?.userReadQuery.includes("workspace_id") && scope.workspaceId ? { workspace_id: scope.workspaceId } : {};
}

/** `GET users/{id}`, with the scope `rule` says Truto needs; null when the vendor says the user does not exist. */
export async function getUser(
  client: TrutoClient,
  scope: AssignmentScope,
  fresh = false,
  rule?: IntegrationRule,
): Promise<WireUserT | null> {
  const query = userReadQuery(rule, scope);
  const load = async () => {
    try {
      return await client.call(
        { method: "GET", path: `${BASE}/users/${encodePathSegment(scope.userId)}`, integratedAccountId: scope.integratedAccountId, query },
        WireUser,
      );
    } catch (e) {
      if (isGone(e)) return null;
      throw e;
    }
  };
  return fresh ? load() : readCache.get(userKey(client, scope, query), load, client.readCacheMs);
}

/** The page size of list calls (`limit`), unless a rule asks for another (`assignmentPageSize`). */
export const LIST_PAGE_SIZE = 100;

/** One list endpoint's call: where, for which account, with what filters, the shape of an item, and the page size. */
interface ListCall<T extends z.ZodType> {
  path: string;
  integratedAccountId: string;
  query: Record<string, unknown>;
  item: T;
  pageSize?: number;
}

/**
 * The pages of a list endpoint, in order, fetched one at a time as they are consumed. A page's items are
 * validated as they are taken from it, so a scan that stops early (`findIn`) pays for what it read only.
 */
async function* pages<T extends z.ZodType>(
  client: TrutoClient,
  { path, integratedAccountId, query, item, pageSize = LIST_PAGE_SIZE }: ListCall<T>,
): AsyncGenerator<Iterable<z.output<T>>> {
  let cursor: string | undefined;
  // Bounded: a server that never stops paging is a bug we must not loop on forever.
  for (let page = 0; page < 10_000; page++) {
    const req = {
      method: "GET" as const,
      path,
      integratedAccountId,
      query: { ...query, limit: pageSize, ...(cursor ? { next_cursor: cursor } : {}) },
    };
    const res = await client.call(req, ListEnvelope);
    yield itemsOf(req, item as ResponseSchema<z.output<T>>, res.result);
    cursor = res.next_cursor ?? undefined;
    if (!cursor) return;
  }
}

function* itemsOf<T>(req: TrutoRequest, item: ResponseSchema<T>, raw: readonly unknown[]): Generator<T> {
  for (let i = 0; i < raw.length; i++) yield validated(req, item, raw[i], ["result", i]);
}

async function listAll<T extends z.ZodType>(client: TrutoClient, call: ListCall<T>, onPage?: () => void): Promise<z.output<T>[]> {
  const out: z.output<T>[] = [];
  for await (const page of pages(client, call)) {
    onPage?.();
    for (const x of page) out.push(x);
  }
  return out;
}

/** The first item of a list, in page order, that `found` accepts; undefined when none does. Stops paging (and validating) there. */
async function findIn<T extends z.ZodType>(
  client: TrutoClient,
  call: ListCall<T>,
  found: (x: z.output<T>) => boolean,
): Promise<z.output<T> | undefined> {
  for await (const page of pages(client, call)) {
    for (const x of page) if (found(x)) return x;
  }
  return undefined;
}

/** The first user of the account, in page order, that `found` accepts (paging only as far as needed). */
export function findUser(
  client: TrutoClient,
  integratedAccountId: string,
  found: (u: WireUserT) => boolean,
): Promise<WireUserT | undefined> {
  return findIn(client, { path: `${BASE}/users`, integratedAccountId, query: {}, item: WireUser }, found);
}

/** Every user of the account (all pages). */
export function listUsers(client: TrutoClient, integratedAccountId: string): Promise<WireUserT[]> {
  return listAll(client, { path: `${BASE}/users`, integratedAccountId, query: {}, item: WireUser });
}

/** Every role the account's app defines (all pages). */
export function listRoles(client: TrutoClient, integratedAccountId: string) {
  return listAll(client, { path: `${BASE}/roles`, integratedAccountId, query: {}, item: WireRoleRecord });
}

/**
 * Every role assignment (all pages), in a workspace where the integration needs one, `pageSize` to a page;
 * with `roleIds`, only those roles' as the vendor's `role_ids` filter (see `assignmentRoleFilter` in the rules).
 */
export function listRoleAssignments(
  client: TrutoClient,
  integratedAccountId: string,
  workspaceId?: string,
  pageSize = LIST_PAGE_SIZE,
  onPage?: () => void,
  roleIds?: ReadonlySet<string>,
): Promise<WireRoleAssignmentT[]> {
  const query: Record<string, unknown> = workspaceId ? { workspace_id: workspaceId } : {};
  if (roleIds?.size) query.remote_query = { role_ids: [...roleIds].sort().join(",") };
  return listAll(client, { path: `${BASE}/role_assignments`, integratedAccountId, query, item: WireRoleAssignment, pageSize }, onPage);
}

/**
 * Every scope of one kind (Slack Enterprise workspaces, Elastic Cloud organizations), all pages. Truto
 * lists workspaces for Slack Enterprise (truto-api-notes §2.6) and organizations for Elastic Cloud (its
 * integration page's unified resources, §2.7).
 */
export function listScopes(client: TrutoClient, integratedAccountId: string, kind: "workspaces" | "organizations") {
  return listAll(client, { path: `${BASE}/${kind}`, integratedAccountId, query: {}, item: WireScopeRecord });
}

/**
 * The user and the roles they hold, by the integration's read strategy. `fresh` bypasses the shared
 * cache both ways (a read-back after a write must see the write, and must not be served to a refresh);
 * coalesced, a fresh read is answered only by a listing that started after it was asked for. `about`
 * narrows the answer to the roles the caller looks at (see ReadAbout).
 */
export async function readHolding(
  client: TrutoClient,
  rule: IntegrationRule,
  scope: AssignmentScope,
  fresh = false,
  about?: ReadAbout,
): Promise<Holding> {
  const holding =
    client.readStrategy === "coalesced"
      ? await readCoalesced(client, rule, scope, fresh, about)
      : await readAlone(client, rule, scope, fresh);
  if (!about) return holding;
  const ids = new Set(about.roles);
  return { user: holding.user, held: holding.held.filter((g) => ids.has(g.id)) };
}

/** Per-resource reads: the user, and on Slack Enterprise a whole listing of the workspace of its own. */
async function readAlone(client: TrutoClient, rule: IntegrationRule, scope: AssignmentScope, fresh: boolean): Promise<Holding> {
  const user = await getUser(client, scope, fresh, rule);
  if (!user) return { user: null, held: [] };
  if (rule.readBack === "user-roles") return { user: summarize(user), held: grantsOfUser(user) };
  const list = () => listRoleAssignments(client, scope.integratedAccountId, scope.workspaceId, rule.assignmentPageSize);
  const assignments = await (fresh ? list() : readCache.get(workspaceKey(client, scope), list, client.readCacheMs));
  return { user: summarize(user), held: heldIn(assignments, scope) };
}

function heldIn(assignments: readonly WireRoleAssignmentT[], scope: AssignmentScope): Grant[] {
  return assignments.filter((a) => a.user_id === scope.userId).map((a) => grantOfAssignment(a, scope.workspaceId));
}

/**
 * The user from the account's user listing, when reads of the account are being coalesced into one and the
 * row allows it; undefined means "read the user alone" (the listing was not worth it, or does not show them:
 * a user missing from a listing is never taken as gone, since a vendor's list may leave some out).
 */
async function listedUser(
  client: TrutoClient,
  rule: IntegrationRule,
  scope: AssignmentScope,
  fresh: boolean,
): Promise<WireUserT | undefined> {
  if (rule.userListing === "off") return undefined;
  // A read the cache answers costs nothing: it neither needs a listing nor counts as demand for one.
  if (!fresh && readCache.has(userKey(client, scope, userReadQuery(rule, scope)), client.readCacheMs)) return undefined;
  const users = await userListings.read(accountKey(client, scope), {
    fresh,
    ttlMs: listingTtl(client),
    // One GET users/{id} a read; a first listing once four reads wait, then whenever it costs fewer pages.
    policy: { aloneCost: 1, firstListingAt: 4 },
    list: async (page) =>
      new Map(
        (
          await listAll(client, { path: `${BASE}/users`, integratedAccountId: scope.integratedAccountId, query: {}, item: WireUser }, page)
        ).map((u) => [u.id, u]),
      ),
  });
  return users?.get(scope.userId);
}

/** How many roles one Slack `role_assignments` listing may be narrowed to; reads about more share a whole listing. */
export const MAX_FILTERED_ROLES = 10;

/**
 * Per workspace, "trusted" once its `role_ids` filter has been seen to work in this process, else how many times it
 * was tested. The filter is inferred (see the rules' `assignmentRoleFilter`), and one misread would fail in the worst
 * way: a filter that matched nothing, or only the first id, would show a role as held by nobody, so a revoke that did
 * nothing would read as confirmed. So a workspace's
 * listings are narrowed only once a narrowed listing of two or more roles showed exactly the holders a whole listing,
 * taken just before, showed for each of them. Until then every listing is whole (and the test costs one narrowed
 * listing more, at most {@link FILTER_TESTS} times: a write between the two listings makes them differ).
 */
const filterTrust = new Map<string, number | "trusted">();
export const FILTER_TESTS = 3;

async function testFilter(
  key: string,
  workspaceId: string | undefined,
  whole: readonly WireRoleAssignmentT[],
  only: ReadonlySet<string>,
  listOnly: (roles: ReadonlySet<string>) => Promise<WireRoleAssignmentT[]>,
): Promise<void> {
  // Who holds `role`, and where, as the read-backs would see it.
  const holders = (rows: readonly WireRoleAssignmentT[], role: string) =>
    [...new Set(rows.filter((r) => r.role_id === role).map((r) => `${r.user_id}|${roleKey(grantOfAssignment(r, workspaceId))}`))]
      .sort()
      .join(",");
  // Only roles someone holds can show a filter that drops rows; two of them show it reads more than the first id.
  const tested = new Set([...only].filter((role) => holders(whole, role) !== ""));
  const tries = filterTrust.get(key) ?? 0;
  if (tested.size < 2 || tries === "trusted" || tries >= FILTER_TESTS) return;
  filterTrust.set(key, tries + 1);
  const narrowed = await listOnly(tested);
  if ([...tested].every((role) => holders(narrowed, role) === holders(whole, role))) filterTrust.set(key, "trusted");
}

/**
 * A Slack workspace's role assignments (Enterprise), from the coalesced listing of the workspace: listed even for
 * one read, so it is always shared. `fresh`: only a listing that started after this call (see CoalescedReads).
 * `roleIds`: the roles the caller looks at; where the row allows, the listing is narrowed to the roles of all the
 * reads it serves, so rows of other roles may be missing. With per-resource reads, a whole listing of its own.
 */
export function workspaceAssignments(
  client: TrutoClient,
  rule: IntegrationRule,
  scope: AssignmentScope,
  fresh: boolean,
  roleIds?: readonly string[],
): Promise<WireRoleAssignmentT[]> {
  const key = workspaceKey(client, scope);
  const list = (page?: () => void, only?: ReadonlySet<string>) =>
    listRoleAssignments(client, scope.integratedAccountId, scope.workspaceId, rule.assignmentPageSize, page, only);
  const listTrusted = async (page?: () => void, only?: ReadonlySet<string>) => {
    if (!only || filterTrust.get(key) === "trusted") return list(page, only);
    // Not yet seen to work here: answer from the whole listing, and test the filter against it.
    const whole = await list(page);
    // A test that fails (its listing failed) trusts nothing; the read stands on the whole listing.
    await testFilter(key, scope.workspaceId, whole, only, (roles) => list(page, roles)).catch(() => undefined);
    return whole;
  };
  if (client.readStrategy !== "coalesced") return list();
  const narrowUpTo = rule.assignmentRoleFilter === "off" ? 0 : MAX_FILTERED_ROLES;
  return assignmentListings
    .read(key, {
      fresh,
      ttlMs: listingTtl(client),
      policy: { aloneCost: Infinity, firstListingAt: 1, narrowUpTo },
      about: roleIds && new Set(roleIds),
      list: listTrusted,
    })
    .then((rows) => rows ?? list());
}

async function readCoalesced(
  client: TrutoClient,
  rule: IntegrationRule,
  scope: AssignmentScope,
  fresh: boolean,
  about?: ReadAbout,
): Promise<Holding> {
  if (rule.readBack === "user-roles") {
    const user = (await listedUser(client, rule, scope, fresh)) ?? (await getUser(client, scope, fresh, rule));
    return user ? { user: summarize(user), held: grantsOfUser(user) } : { user: null, held: [] };
  }
  // Slack Enterprise: the roles from the workspace's role_assignments; the name and status need not be fresh,
  // since the roles are what a read-back proves.
  const [rows, listed] = await Promise.all([
    workspaceAssignments(client, rule, scope, fresh, about?.roles),
    listedUser(client, rule, scope, false),
  ]);
  const held = heldIn(rows, scope);
  if (listed) return { user: summarize(listed), held };
  // A listing that shows the user holding a role proves they exist: the user as last read will do.
  if (held.length > 0 && about?.user) return { user: about.user, held };
  const user = await getUser(client, scope, fresh, rule);
  return user ? { user: summarize(user), held } : { user: null, held: [] };
}

/** The roles a unified user object says the user holds, as grants. */
export function grantsOfUser(user: WireUserT): Grant[] {
  return user.roles.map((r) => strip({ id: r.id, group: r.group, organization: r.organization, workspace: r.workspace }));
}

/** One role assignment row as a grant; a row that names no workspace is in the workspace that was asked for. */
export function grantOfAssignment(a: WireRoleAssignmentT, workspaceId: string | undefined): Grant {
  const ws = Array.isArray(a.workspace) ? a.workspace[0] : (a.workspace ?? a.group_id ?? workspaceId);
  return strip({ id: a.role_id, workspace: ws ?? undefined });
}
