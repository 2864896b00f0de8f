/**
 * How a write's identifying fields are encoded in a URL, and how long that URL may grow. Kept apart from
 * the client (and its HTTP stack) so `check` can bound inputs with the same encoding the client sends.
 */
import * as qs from "qs";
import { strip, type Organization, type Role } from "../integrations/grants";

/**
 * The longest URL a role write is let grow to; longer writes are split into several requests. RFC 9110
 * §4.1 asks only that URLs of 8,000 octets be supported, nginx and Apache refuse request lines past
 * 8 KB by default, and Node (the sandbox) refuses headers past 16 KB with 431. Half of the smallest of
 * those leaves room for what proxies add and for Truto re-encoding the query into the vendor's URL.
 * Measured: 20 roles of 900 characters made a 22 KB URL, answered 431 (issue 9, item 6).
 */
export const MAX_URL_BYTES = 4_096;

/**
 * What `check` should allow per resource. Each Slack role is a request of its own, so 50 keeps one
 * resource's writes within one window of Truto's per-account limit (50 requests per 10 s), and the
 * partial-failure record, which names each failed role, small.
 */
export const MAX_ROLES_PER_RESOURCE = 50;

/**
 * The URL bytes kept for the base URL, the path and `?integrated_account_id=…&`: about 125 with the
 * default base URL and a uuid account id, so a base URL of up to ~400 bytes fits.
 */
export const MAX_URL_PREFIX_BYTES = 512;

/**
 * The most query-string bytes a write carrying a single role may need, {@link singleRoleQueryBytes}.
 * A role whose write fits this always fits one request, however the others are split.
 */
export const MAX_SINGLE_ROLE_QUERY_BYTES = MAX_URL_BYTES - MAX_URL_PREFIX_BYTES;

/** Encodes a query the way Truto's TypeScript SDK does: `qs` with indexed arrays (`roles[0][id]=…`). */
export function encodeQuery(query: Record<string, unknown>): string {
  return qs.stringify(query, { arrayFormat: "indices", skipNulls: true });
}

/** A role as a write sends it: the identifying fields only (the name is a label, never sent). */
export function wireRole(role: Role): Record<string, string> {
  return strip({ id: role.id, group: role.group, organization: role.organization, workspace: role.workspace }) as Record<string, string>;
}

/** Organizations as a write sends them, or undefined when there are none. */
export function wireOrganizations(orgs: Organization[] | undefined): Record<string, string>[] | undefined {
  return orgs?.length ? orgs.map((o) => strip({ id: o.id, name: o.name }) as Record<string, string>) : undefined;
}

/** What a write names besides its roles. */
export interface WriteScope {
  userId: string;
  workspaceId?: string;
  organizations?: Organization[];
  remoteQuery?: Record<string, unknown>;
}

/**
 * The query-string bytes of a write that carries only `role`, with every identifying field in the query
 * as assign-role sends them (the most any write puts there). `check` compares it with
 * {@link MAX_SINGLE_ROLE_QUERY_BYTES}.
 */
export function singleRoleQueryBytes(scope: WriteScope, role: Role): number {
  const query = {
    id: scope.userId,
    roles: [wireRole(role)],
    workspace_id: scope.workspaceId,
    organizations: wireOrganizations(scope.organizations),
    remote_query: scope.remoteQuery,
  };
  return Buffer.byteLength(encodeQuery(query));
}
