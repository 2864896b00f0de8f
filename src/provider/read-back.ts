/**
 * Reading back after writes: poll the user's roles through the settle window until the writes show, and decide
 * what a reading that cannot confirm them means (see readBack).
 */
import type { IntegrationRule } from "../integrations/rules";
import type { TrutoClient } from "../truto/client";
import { readHolding, type AssignmentRequest, type Holding, type ReadAbout, type WriteOutcome } from "../truto/user-directory";
import { clip, PartialFailure, uncertain } from "./write-outcomes";

type Props = Record<string, unknown>;

/** What reading back needs: the client, and how long a write may take to show. */
export interface ReadBackContext {
  client: TrutoClient;
  settleMs: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Reads back until `done` holds or the settle window closes; returns the last reading.
 *
 * "User not found" right after a write is not believed at once: a user just written to can be briefly
 * invisible to reads (a new user still propagating, a replica behind). So a reading without the user never
 * ends the wait early: the reads go on through the settle window, at least twice, and only a user still not
 * found at the end is returned as such. What that then means is for the caller to decide from the writes
 * (see readBack and remove). `about` names every role `done` and the caller look at (see ReadAbout).
 */
export async function settle(
  ctx: ReadBackContext,
  rule: IntegrationRule,
  req: AssignmentRequest,
  done: (h: Holding) => boolean,
  about?: ReadAbout,
): Promise<Holding> {
  const started = Date.now();
  let wait = 100;
  for (let reads = 1; ; reads++) {
    const holding = await readHolding(ctx.client, rule, req, true, about);
    const closing = Date.now() - started + wait > ctx.settleMs;
    if (holding.user !== null ? done(holding) || closing : closing && reads >= 2) return holding;
    await sleep(wait);
    wait = Math.min(wait * 2, 2_000);
  }
}

/**
 * Reads back after writes (see settle) and decides what a result that cannot be seen means.
 *
 * If every write was refused outright (a definitive 4xx, such as the vendor's "user not found" on the write
 * itself), nothing changed: a failed read's error stands, and a user still not found through the settle
 * window really is gone, and the caller says so. If any write may have landed (it answered success, or
 * failed in a way that leaves it unknown), a failed read or a user not found is no proof that nothing is
 * held: a write that succeeded found the user a moment earlier. The result is then recorded as a partial
 * failure, so state knows of access that may exist (a plain error would leave a grant nobody destroys).
 */
export async function readBack(
  ctx: ReadBackContext,
  rule: IntegrationRule,
  req: AssignmentRequest,
  done: (h: Holding) => boolean,
  outcomes: WriteOutcome[],
  record: () => { id: string; properties: Props },
  doing: string,
  about?: ReadAbout,
): Promise<Holding> {
  let why: string;
  try {
    const holding = await settle(ctx, rule, req, done, about);
    if (holding.user !== null || !uncertain(outcomes)) return holding;
    why = `user "${req.userId}" was not found when read back through the settle window (${ctx.settleMs} ms), although the write may have landed; a user just written to can be briefly invisible, so this is not taken as gone (if the user was deleted, \`pulumi refresh\` drops the assignment).`;
  } catch (readError) {
    if (!uncertain(outcomes)) throw readError;
    why = clip((readError as Error)?.message ?? String(readError));
  }
  const { id, properties } = record();
  throw new PartialFailure(
    `the result of ${doing} could not be read back to confirm it: ${why} State records the assignment as unconfirmed; run \`pulumi up\` again to converge.`,
    id,
    properties,
    [`read-back failed: ${why}`],
  );
}
