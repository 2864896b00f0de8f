import { trutoError } from "../errors";
import type { SandboxRuntime } from "../runtime";
import type { SandboxCall } from "../sandbox-call";
import type { AccountIndex } from "../store";
import { rulesFor } from "../truto-rules";
import { vendorError } from "../vendor-errors";

/** The account `integrated_account_id` names: Truto's 400 when it is missing, 404 when it is unknown. */
export function resolveAccount(call: SandboxCall, rt: SandboxRuntime): AccountIndex {
  const id = call.query.integrated_account_id;
  if (id === undefined || id === "") {
    throw trutoError(400, "integrated_account_id is required. Add ?integrated_account_id=<id of the connected account> to the URL.");
  }
  if (typeof id !== "string") throw trutoError(400, "integrated_account_id must be a single string.");
  const account = rt.store.account(id);
  if (!account) {
    throw trutoError(404, `Integrated account ${id} was not found. Check the id (GET /_sandbox/state lists the sandbox's accounts).`);
  }
  return account;
}

/**
 * Truto's answers for an account that cannot serve this call (truto-api-notes §4.3, from the error model at
 * https://github.com/trutohq/truto-skills/blob/f792f6169992145c080d6940ba2c6de3df9c7c3f/skills/truto-operator/references/error-and-evidence-model.md):
 * 503 for a blocked account and 405 for a write to a sandbox account, both Truto's own, before any window counts
 * the request; {@link refuseNeedsReauth} answers for the vendor.
 */
export function refuseForAccount(call: SandboxCall, account: AccountIndex): void {
  const { id, blocked, isSandbox } = account.account;
  if (blocked) throw trutoError(503, `Integrated account ${id} is blocked. Contact Truto support to unblock it.`);
  if (isSandbox && call.method !== "GET")
    throw trutoError(405, `Integrated account ${id} is a sandbox account, which does not allow ${call.method} requests.`);
}

/** While an account needs re-authentication the vendor rejects its credentials: a remote 401 (same source). */
export function refuseNeedsReauth(account: AccountIndex): void {
  const { id, status, integration } = account.account;
  if (status !== "needs_reauth") return;
  throw vendorError(rulesFor(integration).vendor, "unauthorized", {
    id,
    detail: `The credentials of integrated account ${id} were rejected; it needs to be reconnected.`,
  });
}
