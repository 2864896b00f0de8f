/**
 * A fleet for the concurrent run: several integrated accounts per integration (each with its own
 * per-account rate limit, as in a real organisation), users enough for one assignment each, and the
 * assignments themselves, all derived deterministically from their index.
 */
import { defaultSeed, type SandboxState } from "../../../src/sandbox";

type Props = Record<string, unknown>;
type Slug = "slackenterprise" | "jumpcloud" | "elasticcloud";

const SLUGS: readonly Slug[] = ["slackenterprise", "jumpcloud", "elasticcloud"];

const ROLE_IDS: Record<Slug, string[]> = {
  slackenterprise: ["Rl0A", "Rl01", "Rl03", "Rl02", "Rl0J", "Rl0C", "Rl0D"],
  jumpcloud: ["administrator", "manager", "help-desk", "read-only", "command-runner"],
  elasticcloud: ["organization-admin", "billing-admin", "deployment-admin", "deployment-editor", "deployment-viewer"],
};
const WORKSPACES = ["T1ALPHA", "T1BETA"];
const ORGS = ["5300000001", "5300000002"];

/** One planned assignment: its resource name, account, and inputs. */
export interface FleetAssignment {
  name: string;
  slug: Slug;
  accountId: string;
  userId: string;
  inputs: Props;
}

/** The fleet: the sandbox state to PUT, the accounts, and the assignments. */
export interface Fleet {
  state: SandboxState;
  accountIds: string[];
  /** Each account's owner, who holds every role in every scope (so no fleet user is a last holder); no assignment manages them. */
  ownerIds: string[];
  assignments: FleetAssignment[];
}

function accountId(slug: Slug, n: number): string {
  return `7e57a000-0000-4000-8000-${String(SLUGS.indexOf(slug) * 100 + n).padStart(12, "0")}`;
}

function userId(slug: Slug, n: number): string {
  if (slug === "slackenterprise") return `U9${String(n).padStart(6, "0")}`;
  if (slug === "jumpcloud") return `64b000000000000000${String(n).padStart(6, "0")}`;
  return `2${String(n).padStart(9, "0")}`;
}

function rolesFor(slug: Slug, i: number, shift: number): { id: string }[] {
  const ids = ROLE_IDS[slug];
  const first = ids[(i + shift) % ids.length];
  const second = ids[(i + shift + 1) % ids.length];
  return i % 2 === 0 ? [{ id: first }] : [{ id: first }, { id: second }];
}

/** The inputs of assignment `i`; `shift` moves its roles along the catalogue (a change for the same user). */
export function fleetInputs(a: Pick<FleetAssignment, "slug" | "accountId" | "userId">, i: number, shift = 0): Props {
  const base = { integratedAccountId: a.accountId, integration: a.slug, userId: a.userId, roles: rolesFor(a.slug, i, shift) };
  if (a.slug === "slackenterprise") return { ...base, workspaceId: WORKSPACES[i % 2] };
  if (a.slug === "elasticcloud") return { ...base, organizations: (i % 2 === 0 ? ORGS.slice(0, 1) : ORGS).map((id) => ({ id })) };
  return base;
}

/** `count` assignments spread round-robin over the three integrations and `accountsPer` accounts of each. */
export function buildFleet(count: number, accountsPer: number): Fleet {
  const state = defaultSeed();
  const accountIds: string[] = [];
  const ownerIds: string[] = [];
  for (const slug of SLUGS) {
    for (let n = 0; n < accountsPer; n++) {
      const id = accountId(slug, n);
      accountIds.push(id);
      state.accounts.push({ id, integration: slug });
      for (const role of ROLE_IDS[slug]) state.roles.push({ accountId: id, id: role, name: role });
      if (slug === "slackenterprise") for (const w of WORKSPACES) state.workspaces.push({ accountId: id, id: w, name: w });
      if (slug === "elasticcloud") for (const o of ORGS) state.organizations.push({ accountId: id, id: o, name: o });
      const owner = `${id}-owner`;
      ownerIds.push(owner);
      const scoped = (role: string) =>
        slug === "slackenterprise"
          ? WORKSPACES.map((workspace) => ({ id: role, workspace }))
          : slug === "elasticcloud"
            ? ORGS.map((organization) => ({ id: role, organization }))
            : [{ id: role }];
      state.users.push({
        accountId: id,
        id: owner,
        name: "Account Owner",
        email: `owner-${n}@example.com`,
        status: "active",
        roles: ROLE_IDS[slug].flatMap(scoped),
      });
    }
  }
  const assignments: FleetAssignment[] = [];
  for (let i = 0; i < count; i++) {
    const slug = SLUGS[i % SLUGS.length];
    const a = { slug, accountId: accountId(slug, Math.floor(i / SLUGS.length) % accountsPer), userId: userId(slug, i) };
    state.users.push({
      accountId: a.accountId,
      id: a.userId,
      name: `Person ${i}`,
      email: `person${i}@example.com`,
      status: "active",
      roles: [],
    });
    assignments.push({ ...a, name: `fleet-${i}`, inputs: fleetInputs(a, i) });
  }
  return { state, accountIds, ownerIds, assignments };
}
