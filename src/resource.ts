/**
 * The `RoleAssignment` resource: one user's membership in a set of roles in one app reached through
 * Truto. Creating it grants the roles, changing it converges them, destroying it revokes them.
 */
import * as pulumi from "@pulumi/pulumi";
import { grantsOf, roleKey, type Organization, type Role } from "./integrations/grants";
import { isKnownIntegration, RULES, type IntegrationSlug } from "./integrations/rules";
import { roleAssignmentProvider } from "./provider/shim";
import type { UserSummary } from "./truto/user-directory";

/** A role to hold. `id` identifies it; `organization` (Elastic Cloud) and `workspace` (Slack Enterprise) scope it; `name` is a label. */
export interface RoleArgs {
  id: pulumi.Input<string>;
  name?: pulumi.Input<string>;
  /**
   * @deprecated Refused by `check` for every integration today: no integration's read-back reports a role's
   * group, so a grant or a revoke in one could not be confirmed. Kept so a refusal says why, not "unknown key".
   */
  group?: pulumi.Input<string>;
  organization?: pulumi.Input<string>;
  workspace?: pulumi.Input<string>;
  /** When this role expires (ISO 8601 with an offset, e.g. "2026-12-08T17:00:00Z"); overrides the resource's `expiresAt`. Not part of the role's identity. */
  expiresAt?: pulumi.Input<string>;
}

/** An organization the assignment is scoped to (Elastic Cloud). */
export interface OrganizationArgs {
  id: pulumi.Input<string>;
  name?: pulumi.Input<string>;
}

/** The arguments every RoleAssignment takes, whatever its integration; every one accepts a `pulumi.Input`. */
export interface RoleAssignmentCommonArgs {
  /** The Truto integrated account (a UUID). Replaces on change. */
  integratedAccountId: pulumi.Input<string>;
  /** The user's id in the app. Replaces on change. */
  userId: pulumi.Input<string>;
  /** The roles the user must hold; updated in place. */
  roles: pulumi.Input<pulumi.Input<RoleArgs>[]>;
  /**
   * When every role without its own `expiresAt` expires (ISO 8601 with an offset). The first `pulumi up` after
   * it revokes them; changing it is an update without an API call while the roles are active.
   */
  expiresAt?: pulumi.Input<string>;
  /** Passed as-is to the vendor in the request body (`remote_data`). */
  remoteData?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Passed as-is to the vendor as query parameters (`remote_query[...]`); cannot override the call's own fields. */
  remoteQuery?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /**
   * What destroy does: `"revoke"` (the default) revokes every declared role; `"restore"` revokes only the
   * roles this resource granted and leaves those the user already held (`adoptedRoles`). Updates in place
   * without an API call.
   */
  onDelete?: pulumi.Input<"revoke" | "restore">;
  /**
   * The last-holder guard's override: with `true`, a revoke may leave a protected role (an admin or owner
   * role, or one named in `truto:protectedRoles`) with nobody holding it in its scope. Default false. To
   * destroy such an assignment, set it and run `pulumi up` first: destroy reads it from state. Updates in
   * place without an API call.
   */
  allowLastHolder?: pulumi.Input<boolean>;
}

/** Slack Enterprise: roles are held in one workspace, which `workspaceId` names. */
export interface SlackEnterpriseArgs extends RoleAssignmentCommonArgs {
  /** The integration slug; must match the account's. Replaces on change. */
  integration: pulumi.Input<"slackenterprise">;
  /** The workspace (team) id the roles apply in, e.g. "T0123ABCD". Replaces on change. */
  workspaceId: pulumi.Input<string>;
  organizations?: never;
}

/** Elastic Cloud: roles are held in organizations; `organizations` names the ones this assignment manages. */
export interface ElasticCloudArgs extends RoleAssignmentCommonArgs {
  /** The integration slug; must match the account's. Replaces on change. */
  integration: pulumi.Input<"elasticcloud">;
  /** The organizations this assignment manages (its revoke clears each of them). Replaces on change. */
  organizations: pulumi.Input<pulumi.Input<OrganizationArgs>[]>;
  workspaceId?: never;
}

/** The integrations whose roles are held account-wide. */
export type AccountWideIntegration = Exclude<IntegrationSlug, "slackenterprise" | "elasticcloud">;

/** JumpCloud, BlackLine, CrowdStrike, TeamViewer: roles are held account-wide, with no workspace or organization. */
export interface AccountWideArgs extends RoleAssignmentCommonArgs {
  /** The integration slug; must match the account's. Replaces on change. */
  integration: pulumi.Input<AccountWideIntegration>;
  workspaceId?: never;
  organizations?: never;
}

/**
 * An integration known only when the program runs (another resource's output, or a promise): the compiler
 * cannot tell which scope it needs, so `check` enforces it at preview, as it does for plain JavaScript.
 */
export interface LateIntegrationArgs extends RoleAssignmentCommonArgs {
  integration: pulumi.Output<IntegrationSlug> | Promise<IntegrationSlug>;
  workspaceId?: pulumi.Input<string>;
  organizations?: pulumi.Input<pulumi.Input<OrganizationArgs>[]>;
}

/**
 * Arguments of a RoleAssignment, by integration: `workspaceId` is required for Slack Enterprise and refused
 * elsewhere, `organizations` required for Elastic Cloud and refused elsewhere, so a missing or misplaced scope is
 * a compile error. `check` enforces the same rules at preview for programs the compiler does not see.
 */
export type RoleAssignmentArgs = SlackEnterpriseArgs | ElasticCloudArgs | AccountWideArgs | LateIntegrationArgs;

/** The user as last read from Truto (the one user shape: see UserSummary). */
export type RoleAssignmentUser = UserSummary;

// Who claimed which access in this program run, so two resources never fight over one role.
const claims = new Map<string, string>();

/** Forgets every claim (tests run many programs in one process). */
export function resetConflictRegistry(): void {
  claims.clear();
}

interface Identity {
  integratedAccountId?: unknown;
  integration?: unknown;
  userId?: unknown;
  workspaceId?: unknown;
  organizations?: unknown;
  roles?: unknown;
}

/** The access keys a resource claims: one per concrete grant, plus the whole scope where revoke is scope-wide. */
function claimKeys(v: Identity): string[] {
  if (typeof v.integration !== "string" || !isKnownIntegration(v.integration) || !Array.isArray(v.roles)) return [];
  if (typeof v.integratedAccountId !== "string" || typeof v.userId !== "string") return [];
  const rule = RULES[v.integration];
  const account = v.integratedAccountId.trim().toLowerCase();
  const user = v.userId.trim();
  const organizations = Array.isArray(v.organizations) ? (v.organizations as Organization[]) : undefined;
  const scope = {
    integratedAccountId: account,
    userId: user,
    workspaceId: typeof v.workspaceId === "string" ? v.workspaceId.trim() : undefined,
    organizations,
  };
  if (rule.revokes === "whole-scope") {
    const orgs = organizations?.map((o) => String(o.id).trim()) ?? ["*"];
    return orgs.map((o) => JSON.stringify([account, user, "scope", o]));
  }
  return (v.roles as Role[])
    .filter((r) => r && typeof r.id === "string")
    .flatMap((r) => grantsOf(rule, scope, { ...r, id: r.id.trim() }))
    .map((g) => JSON.stringify([account, user, roleKey(g)]));
}

function describe(key: string): string {
  const [account, user, what, org] = JSON.parse(key) as string[];
  if (what === "scope") return `user "${user}" in account ${account}, ${org === "*" ? "all organizations" : `organization ${org}`}`;
  const [role, group, organization, workspace] = JSON.parse(what) as string[];
  const scope = [workspace && `workspace ${workspace}`, organization && `organization ${organization}`, group && `group ${group}`]
    .filter(Boolean)
    .join(", ");
  return `role "${role}"${scope ? ` (${scope})` : ""} of user "${user}" in account ${account}`;
}

function claim(name: string, v: Identity): void {
  const keys = claimKeys(v);
  for (const key of keys) {
    const owner = claims.get(key);
    if (owner !== undefined && owner !== name) {
      throw new Error(
        `RoleAssignment "${name}" and RoleAssignment "${owner}" both claim ${describe(key)}. ` +
          "Each piece of access must be declared once, or destroying one resource would revoke the other's role; merge them into one resource.",
      );
    }
  }
  for (const key of keys) claims.set(key, name);
}

function isPlain(v: unknown): boolean {
  if (pulumi.Output.isInstance(v) || v instanceof Promise) return false;
  if (Array.isArray(v)) return v.every(isPlain);
  if (v && typeof v === "object") return Object.values(v).every(isPlain);
  return true;
}

/** Grants `roles` to a user in one app through Truto, and revokes them when destroyed. */
export class RoleAssignment extends pulumi.dynamic.Resource {
  declare readonly integratedAccountId: pulumi.Output<string>;
  declare readonly integration: pulumi.Output<IntegrationSlug>;
  declare readonly userId: pulumi.Output<string>;
  declare readonly workspaceId: pulumi.Output<string | undefined>;
  declare readonly organizations: pulumi.Output<{ id: string; name?: string }[] | undefined>;
  declare readonly roles: pulumi.Output<
    { id: string; name?: string; group?: string; organization?: string; workspace?: string; expiresAt?: string }[]
  >;
  declare readonly remoteData: pulumi.Output<Record<string, unknown> | undefined>;
  declare readonly remoteQuery: pulumi.Output<Record<string, unknown> | undefined>;
  /** The provider's id for this assignment. */
  declare readonly assignmentId: pulumi.Output<string>;
  /** The declared roles the user held at the last create, update or refresh. */
  declare readonly heldRoles: pulumi.Output<{ id: string; name?: string; group?: string; organization?: string; workspace?: string }[]>;
  /** The declared roles the user already held when this resource first claimed them; `onDelete: "restore"` leaves them. */
  declare readonly adoptedRoles: pulumi.Output<{ id: string; name?: string; group?: string; organization?: string; workspace?: string }[]>;
  /** The declared roles not expired at the last create, update or refresh. */
  declare readonly activeRoles: pulumi.Output<
    { id: string; name?: string; group?: string; organization?: string; workspace?: string; expiresAt?: string }[]
  >;
  /** The declared roles whose time had passed then, each with `expiredAt`: revoked and never granted again. */
  declare readonly expiredRoles: pulumi.Output<
    { id: string; name?: string; group?: string; organization?: string; workspace?: string; expiresAt?: string; expiredAt: string }[]
  >;
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  declare readonly onDelete: pulumi.Output<"revoke" | "restore" | undefined>;
  declare readonly allowLastHolder: pulumi.Output<boolean | undefined>;
  /** The resource's name, as the provider names it in messages (a dynamic provider is not told the URN). */
  declare readonly resourceName: pulumi.Output<string>;
  /** The user as Truto describes them. */
  declare readonly user: pulumi.Output<RoleAssignmentUser>;

  constructor(name: string, args: RoleAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    const identity: Identity = {
      integratedAccountId: args.integratedAccountId,
      integration: args.integration,
      userId: args.userId,
      workspaceId: args.workspaceId,
      organizations: args.organizations,
      roles: args.roles,
    };
    let props: Record<string, unknown> = { ...args };
    if (isPlain(identity)) {
      claim(name, identity);
    } else {
      // Known only later: the conflict check travels with `roles`, so registration fails if it trips.
      props = {
        ...args,
        roles: pulumi
          .all([args.integratedAccountId, args.integration, args.userId, args.workspaceId, args.organizations, args.roles])
          .apply(([integratedAccountId, integration, userId, workspaceId, organizations, roles]) => {
            claim(name, { integratedAccountId, integration, userId, workspaceId, organizations, roles });
            return roles;
          }),
      };
    }
    // The provider host passes no URN to create, update or delete, so the name travels as an input; diff
    // ignores it, so a rename with `aliases` (or an upgrade that adds it) is no change.
    super(
      roleAssignmentProvider,
      name,
      {
        ...props,
        resourceName: name,
        assignmentId: undefined,
        heldRoles: undefined,
        adoptedRoles: undefined,
        activeRoles: undefined,
        expiredRoles: undefined,
        user: undefined,
      },
      opts,
      "truto",
      "RoleAssignment",
    );
  }
}
