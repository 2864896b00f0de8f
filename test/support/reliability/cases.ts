/**
 * The three documented integrations as reliability scenarios use them: a seed user who holds nothing
 * yet, two roles to grant, and a third to add on update.
 */
import { SEED_IDS } from "../../../src/sandbox";

type Props = Record<string, unknown>;

/** One integration's scenario data. */
export interface IntegrationCase {
  slug: "slackenterprise" | "jumpcloud" | "elasticcloud";
  label: string;
  accountId: string;
  userId: string;
  /** The resource's inputs for `roles`. */
  inputs(roles: string[]): Props;
  /** Two roles the user does not hold yet. */
  roles: [string, string];
  /** A third role, added by an update that also removes `roles[0]`. */
  extra: string;
}

const acct = SEED_IDS.accounts;

/**
 * Slack Enterprise (one role per request, roles read from role_assignments), JumpCloud, Elastic Cloud (scope-wide
 * revoke). Each says `allowLastHolder: true`: a fault aimed at an operation's first request must hit the
 * operation's own calls, not the last-holder guard's listing in front of a revoke (that guard's behaviour under a
 * failed listing is tested in test/lifecycle/last-holder.test.ts).
 */
export const INTEGRATION_CASES: readonly IntegrationCase[] = [
  {
    slug: "slackenterprise",
    label: "Slack Enterprise",
    accountId: acct.slackenterprise,
    userId: SEED_IDS.slackenterprise.users.dan,
    inputs: (roles) => ({
      integratedAccountId: acct.slackenterprise,
      integration: "slackenterprise",
      userId: SEED_IDS.slackenterprise.users.dan,
      workspaceId: SEED_IDS.slackenterprise.workspaces.platform,
      roles: roles.map((id) => ({ id })),
      allowLastHolder: true,
    }),
    roles: ["Rl03", "Rl0J"],
    extra: "Rl0C",
  },
  {
    slug: "jumpcloud",
    label: "JumpCloud",
    accountId: acct.jumpcloud,
    userId: SEED_IDS.jumpcloud.users.dan,
    inputs: (roles) => ({
      integratedAccountId: acct.jumpcloud,
      integration: "jumpcloud",
      userId: SEED_IDS.jumpcloud.users.dan,
      roles: roles.map((id) => ({ id })),
      allowLastHolder: true,
    }),
    roles: ["manager", "help-desk"],
    extra: "command-runner",
  },
  {
    slug: "elasticcloud",
    label: "Elastic Cloud",
    accountId: acct.elasticcloud,
    userId: SEED_IDS.elasticcloud.users.dan,
    inputs: (roles) => ({
      integratedAccountId: acct.elasticcloud,
      integration: "elasticcloud",
      userId: SEED_IDS.elasticcloud.users.dan,
      organizations: [{ id: SEED_IDS.elasticcloud.organizations.production, name: "Acme Production" }],
      roles: roles.map((id) => ({ id })),
      allowLastHolder: true,
    }),
    roles: ["deployment-editor", "billing-admin"],
    extra: "deployment-viewer",
  },
];
