/**
 * What the writes of one operation mean once they are answered: which failures prove a write did not happen
 * (so nothing needs recording), the partial failure Pulumi records when some did, and the bounded reasons an
 * error lists. Pure functions over the write outcomes; the lifecycle decides when to use them.
 */
import type { Role } from "../integrations/grants";
import { TrutoError, TrutoErrorCodes, isTrutoError, type TrutoErrorCode } from "../truto/errors";
import type { WriteOutcome } from "../truto/user-directory";
import { label } from "./describe";

type Props = Record<string, unknown>;

/** The error Pulumi records as a partial failure: `id` and `properties` reach state. */
export class PartialFailure extends TrutoError {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(TrutoErrorCodes.partial, message);
  }
}

/** How many reasons or roles a message lists before "…and N more", and how long one may be. */
export const MAX_LISTED = 10;
export const MAX_ITEM_CHARS = 1_000;

// The middle goes: an error's start names the code and the request, its end says what to do.
export function clip(text: string): string {
  if (text.length <= MAX_ITEM_CHARS) return text;
  const head = Math.floor(MAX_ITEM_CHARS * 0.6);
  const tail = MAX_ITEM_CHARS - head - 20;
  return `${text.slice(0, head)} …(${text.length - head - tail} characters left out)… ${text.slice(-tail)}`;
}

/**
 * At most MAX_LISTED items, each clipped, then "…and N more": a partial-failure record or an error must
 * always fit in what the host can send back, whatever the number of roles or the length of a vendor's text.
 */
export function bounded(items: readonly string[]): string[] {
  const shown = items.slice(0, MAX_LISTED).map(clip);
  return items.length > MAX_LISTED ? [...shown, `…and ${items.length - MAX_LISTED} more`] : shown;
}

export function labels(roles: readonly Role[]): string {
  return bounded(roles.map(label)).join(", ");
}

// By id: a role narrowed to some of its organizations was sent as the role itself, and one resource holds
// each id once per scope, so the request that carried the id is the one whose answer explains it.
export function errorFor(role: Role, outcomes: WriteOutcome[]): unknown {
  return outcomes.find((o) => o.error !== undefined && o.roles.some((r) => r.id === role.id))?.error;
}

export function reasonFor(verb: string, role: Role, outcomes: WriteOutcome[]): string {
  const e = errorFor(role, outcomes);
  const why = e
    ? ((e as Error).message ?? String(e))
    : `Truto reported success, but the role did not show up as ${verb === "grant" ? "held" : "gone"} when read back`;
  return `could not ${verb} ${label(role)}: ${why}`;
}

// A definitive rejection means the write did not happen; anything else (timeouts, 5xx, garbled or
// misleading answers) might have, so state must keep a record of it.
export const DEFINITIVE: readonly TrutoErrorCode[] = [
  TrutoErrorCodes.unauthorized,
  // Truto's own 405 and 503: it refused for the account (a sandbox, or blocked) without calling the vendor.
  TrutoErrorCodes.sandboxAccount,
  TrutoErrorCodes.accountBlocked,
  TrutoErrorCodes.forbidden,
  TrutoErrorCodes.notFound,
  TrutoErrorCodes.validation,
  TrutoErrorCodes.remote,
  TrutoErrorCodes.conflict,
];
export function uncertain(outcomes: WriteOutcome[]): boolean {
  return outcomes.some((o) => o.error === undefined || !DEFINITIVE.some((c) => isTrutoError(o.error, c)));
}

export function firstCode(outcomes: WriteOutcome[], fallback: TrutoErrorCode): TrutoErrorCode {
  const e = outcomes.find((o) => o.error !== undefined)?.error as { code?: string } | undefined;
  return isTrutoError(e) ? (e.code as TrutoErrorCode) : fallback;
}
