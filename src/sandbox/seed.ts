import type { HeldRole, SandboxState, SandboxUser } from "./types";

const PEOPLE = [
  { key: "alice", name: "Alice Nguyen" },
  { key: "bob", name: "Bob Okafor" },
  { key: "carol", name: "Carol Diaz" },
  { key: "dan", name: "Dan Kowalski" },
  { key: "erin", name: "Erin Walsh" },
  // Every real account has an administrator: the person who connected it to Truto. Here that person holds
  // each admin and owner role, in every workspace and organization, so the stacks the tests and the demo run
  // are never the last holder of one (what the provider's last-holder guard protects).
  { key: "owner", name: "Morgan Lee" },
] as const;

/** The ids the built-in seed uses, so examples and tests never spell them by hand. */
export const SEED_IDS = {
  accounts: {
    slackenterprise: "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a01",
    jumpcloud: "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a02",
    elasticcloud: "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a03",
    blackline: "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a04",
    crowdstrike: "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a05",
    teamviewer: "5c1f3e0a-6b0e-4a47-9a53-2f1d8f0c5a06",
  },
  slackenterprise: {
    users: { alice: "U01ALICE", bob: "U02BOB", carol: "U03CAROL", dan: "U04DAN", erin: "U05ERIN", owner: "U00OWNER" },
    workspaces: { platform: "T0PLATFORM", sales: "T0SALES" },
    // Slack's real role ids (api.slack.com admin.roles.addAssignments).
    roles: {
      channelManager: "Rl0A",
      channelAdmin: "Rl01",
      userAdmin: "Rl03",
      roleAdmin: "Rl02",
      securityAdmin: "Rl0J",
      auditLogsAdmin: "Rl0C",
      integrationsManager: "Rl0D",
    },
  },
  jumpcloud: {
    users: {
      alice: "64a1f0c2e4b0a1a1a1a1a001",
      bob: "64a1f0c2e4b0a1a1a1a1a002",
      carol: "64a1f0c2e4b0a1a1a1a1a003",
      dan: "64a1f0c2e4b0a1a1a1a1a004",
      erin: "64a1f0c2e4b0a1a1a1a1a005",
      owner: "64a1f0c2e4b0a1a1a1a1a000",
    },
    roles: {
      administrator: "administrator",
      manager: "manager",
      helpDesk: "help-desk",
      readOnly: "read-only",
      commandRunner: "command-runner",
    },
  },
  elasticcloud: {
    users: { alice: "1183940201", bob: "1183940202", carol: "1183940203", dan: "1183940204", erin: "1183940205", owner: "1183940200" },
    organizations: { production: "4201839311", staging: "4201839312" },
    roles: {
      organizationAdmin: "organization-admin",
      billingAdmin: "billing-admin",
      deploymentAdmin: "deployment-admin",
      deploymentEditor: "deployment-editor",
      deploymentViewer: "deployment-viewer",
    },
  },
  blackline: {
    users: { alice: "bl-alice", bob: "bl-bob", carol: "bl-carol", dan: "bl-dan", erin: "bl-erin", owner: "bl-owner" },
    roles: { systemAdmin: "bl-system-admin", preparer: "bl-preparer", reviewer: "bl-reviewer", approver: "bl-approver" },
  },
  crowdstrike: {
    users: { alice: "cs-alice", bob: "cs-bob", carol: "cs-carol", dan: "cs-dan", erin: "cs-erin", owner: "cs-owner" },
    // CrowdStrike Falcon's own role ids look like these.
    roles: { admin: "falconhost_admin", analyst: "falconhost_analyst", readOnly: "falconhost_read_only" },
  },
  teamviewer: {
    users: { alice: "tv-alice", bob: "tv-bob", carol: "tv-carol", dan: "tv-dan", erin: "tv-erin", owner: "tv-owner" },
    roles: { admin: "tv-role-admin", member: "tv-role-member", supportAgent: "tv-role-support" },
  },
} as const;

const ROLE_NAMES: Record<string, Record<string, string>> = {
  slackenterprise: {
    Rl0A: "Channel Manager",
    Rl01: "Channel Admin",
    Rl03: "User Admin",
    Rl02: "Role Admin",
    Rl0J: "Security Admin",
    Rl0C: "Audit Logs Admin",
    Rl0D: "Integrations Manager",
  },
  jumpcloud: {
    administrator: "Administrator",
    manager: "Manager",
    "help-desk": "Help Desk",
    "read-only": "Read Only",
    "command-runner": "Command Runner",
  },
  elasticcloud: {
    "organization-admin": "Organization owner",
    "billing-admin": "Billing admin",
    "deployment-admin": "Admin",
    "deployment-editor": "Editor",
    "deployment-viewer": "Viewer",
  },
  blackline: {
    "bl-system-admin": "System Administrator",
    "bl-preparer": "Preparer",
    "bl-reviewer": "Reviewer",
    "bl-approver": "Approver",
  },
  crowdstrike: {
    falconhost_admin: "Falcon Administrator",
    falconhost_analyst: "Falcon Analyst",
    falconhost_read_only: "Falcon Read Only",
  },
  teamviewer: { "tv-role-admin": "Administrator", "tv-role-member": "Member", "tv-role-support": "Support Agent" },
};

// The only roles anyone holds at start, so "existing access" exists; everyone else holds nothing.
const HOLDINGS: Record<string, Record<string, HeldRole[]>> = {
  slackenterprise: { alice: [{ id: "Rl0A", workspace: "T0PLATFORM" }] },
  jumpcloud: { bob: [{ id: "read-only" }] },
  elasticcloud: { carol: [{ id: "deployment-viewer", organization: "4201839312" }] },
};

/** The roles the account owner holds: every role whose name says admin or owner, in every scope of the account. */
function ownerRoles(slug: string): HeldRole[] {
  const admin = Object.entries(ROLE_NAMES[slug])
    .filter(([id, name]) => /admin|owner/i.test(`${id} ${name}`))
    .map(([id]) => id);
  if (slug === "slackenterprise") return ["T0PLATFORM", "T0SALES"].flatMap((workspace) => admin.map((id) => ({ id, workspace })));
  if (slug === "elasticcloud") return ["4201839311", "4201839312"].flatMap((organization) => admin.map((id) => ({ id, organization })));
  return admin.map((id) => ({ id }));
}

type Slug = keyof typeof SEED_IDS.accounts;

function usersOf(slug: Slug): SandboxUser[] {
  const ids: Record<string, string> = SEED_IDS[slug].users;
  return PEOPLE.map((person) => ({
    accountId: SEED_IDS.accounts[slug],
    id: ids[person.key],
    name: person.name,
    email: `${person.key}@example.com`,
    status: "active",
    roles: person.key === "owner" ? ownerRoles(slug) : (HOLDINGS[slug]?.[person.key] ?? []).map((role) => ({ ...role })),
  }));
}

/** A fresh deep copy of the built-in seed: six accounts, five people and the account's owner in each; the people hold three roles, the owner every admin role. */
export function defaultSeed(): SandboxState {
  const slugs = Object.keys(SEED_IDS.accounts) as Slug[];
  const slack = SEED_IDS.accounts.slackenterprise;
  const elastic = SEED_IDS.accounts.elasticcloud;
  return {
    accounts: slugs.map((slug) => ({ id: SEED_IDS.accounts[slug], integration: slug })),
    users: slugs.flatMap(usersOf),
    roles: slugs.flatMap((slug) =>
      Object.entries(ROLE_NAMES[slug]).map(([id, name]) => ({ accountId: SEED_IDS.accounts[slug], id, name })),
    ),
    workspaces: [
      { accountId: slack, id: "T0PLATFORM", name: "Platform" },
      { accountId: slack, id: "T0SALES", name: "Sales" },
    ],
    organizations: [
      { accountId: elastic, id: "4201839311", name: "Acme Production" },
      { accountId: elastic, id: "4201839312", name: "Acme Staging" },
    ],
  };
}
