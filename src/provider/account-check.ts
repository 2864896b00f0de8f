/**
 * Before anything else, every operation asks Truto about the integrated account (cached per process, see
 * getAccount): that it belongs to the declared integration, that it is `active`, and, for operations that
 * write, that it is not a sandbox account. Each refusal says what to do, and comes before any write.
 */
import { TrutoError, TrutoErrorCodes } from "../truto/errors";
import type { TrutoClient } from "../truto/client";
import { getAccount } from "../truto/user-directory";
import type { RoleAssignmentInputs } from "./inputs";

/** The lifecycle operation asking; all but `read` write. */
export type AccountUse = "create" | "update" | "delete" | "read";

// What to do for each status Truto documents besides `active` (truto-api-notes §4.2, from
// https://truto.one/docs/api-reference/admin/integrated-accounts/list; `needs_reauth` after the vendor
// rejected the credentials, §4.3).
const ADVICE: Record<string, string> = {
  needs_reauth: "the vendor rejected its credentials; reconnect the account in Truto (re-authenticate it), then run again",
  connecting: "its connection is still being set up; wait until Truto shows it as active, then run again",
  post_install_error: "its post-install step failed; fix the connection in Truto (or reconnect it), then run again",
  validation_error: "its credentials failed Truto's validation; fix the connection in Truto (or reconnect it), then run again",
};

// What a refusal means for the resource: a failed delete or refresh keeps it in state.
const CONSEQUENCE: Record<AccountUse, string> = {
  create: "Nothing was written.",
  update: "Nothing was written; state is unchanged.",
  delete: "Nothing was revoked; the assignment stays in state. Run `pulumi destroy` again once the account is fixed.",
  read: "The roles could not be read, so the assignment stays in state as it was.",
};

/** Refuses the operation, before any write, unless the account is the declared integration's, active, and (for writes) not a sandbox. */
export async function confirmAccount(client: TrutoClient, i: RoleAssignmentInputs, use: AccountUse): Promise<void> {
  const id = i.integratedAccountId;
  const account = await getAccount(client, id);
  if (account.integration !== i.integration) {
    throw new TrutoError(
      TrutoErrorCodes.integrationMismatch,
      `integrated account ${id} is a "${account.integration}" account, but the resource says integration "${i.integration}". Fix integration, or use the account id of the ${i.integration} connection.`,
      { integratedAccountId: id },
    );
  }
  if (account.status !== "active") {
    const advice = ADVICE[account.status] ?? "check the account in the Truto dashboard and make it active, then run again";
    throw new TrutoError(
      TrutoErrorCodes.accountNotActive,
      `integrated account ${id} is not active (Truto says its status is "${account.status}"): ${advice}. ${CONSEQUENCE[use]}`,
      { integratedAccountId: id },
    );
  }
  // "Sandbox accounts allow no writes" (https://truto.one/docs/api-reference/admin/integrated-accounts/list);
  // Truto would answer the write 405.
  if (account.isSandbox && use !== "read") {
    throw new TrutoError(
      TrutoErrorCodes.sandboxAccount,
      `integrated account ${id} is a Truto sandbox account, which accepts no writes (Truto would answer 405); use the integratedAccountId of a production connection. ${CONSEQUENCE[use]}`,
      { integratedAccountId: id },
    );
  }
}
