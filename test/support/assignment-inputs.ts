/**
 * RoleAssignment inputs on the sandbox seed's accounts, for tests that call the provider host directly: the
 * user, the role ids, and anything else to add or override (`over`).
 */
import { SEED_IDS } from "../../src/sandbox";

type Props = Record<string, unknown>;

const acct = SEED_IDS.accounts;
const ids = (roles: string[]) => roles.map((id) => ({ id }));

export const assignmentInputs = {
  jumpcloud: (userId: string, roles: string[], over: Props = {}): Props => ({
    integratedAccountId: acct.jumpcloud,
    integration: "jumpcloud",
    userId,
    roles: ids(roles),
    ...over,
  }),
  /** In the seed's T0PLATFORM workspace unless `over` says another. */
  slack: (userId: string, roles: string[], over: Props = {}): Props => ({
    integratedAccountId: acct.slackenterprise,
    integration: "slackenterprise",
    userId,
    workspaceId: SEED_IDS.slackenterprise.workspaces.platform,
    roles: ids(roles),
    ...over,
  }),
  elastic: (userId: string, orgs: string[], roles: string[], over: Props = {}): Props => ({
    integratedAccountId: acct.elasticcloud,
    integration: "elasticcloud",
    userId,
    organizations: orgs.map((id) => ({ id })),
    roles: ids(roles),
    ...over,
  }),
};
