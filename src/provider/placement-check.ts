/**
 * Before the first write per integration in a process, the placement table is checked against how Truto
 * describes the method (truto/method-meta.ts). A disagreement fails the operation before anything is
 * granted or revoked; where Truto describes nothing, or cannot be asked, the table stands.
 */
import { placementProblems, type WriteMethod } from "../integrations/placement-check";
import type { IntegrationRule } from "../integrations/rules";
import type { TrutoClient } from "../truto/client";
import { TrutoError, TrutoErrorCodes } from "../truto/errors";
import { methodMeta } from "../truto/method-meta";
import { debugNotice } from "./notice";

/** Refuses the operation when Truto's own description of any of `methods` disagrees with the table's row. */
export async function confirmPlacement(
  client: TrutoClient,
  rule: IntegrationRule,
  methods: readonly WriteMethod[],
  integratedAccountId: string,
): Promise<void> {
  const answers = await Promise.all(methods.map((m) => methodMeta(client, rule.slug, m, integratedAccountId)));
  const problems: string[] = [];
  answers.forEach((answer, n) => {
    const method = methods[n];
    if (answer.kind === "described") problems.push(...placementProblems(rule, method, answer.description));
    else if (answer.kind === "absent")
      debugNotice(`Truto's meta endpoint does not describe ${method} for ${rule.displayName}; the placement table stands.`);
    else
      debugNotice(
        `Truto's meta endpoint could not be asked about ${method} for ${rule.displayName} (${answer.reason}); the placement table stands.`,
      );
  });
  if (problems.length === 0) return;
  throw new TrutoError(
    TrutoErrorCodes.placementMismatch,
    `Truto describes ${methods.join(" and ")} for ${rule.displayName} differently from this package's placement table: ${problems.join("; ")}. Nothing was written. The table may be out of date with Truto: please report this with the message above; the integration cannot be used through this version until it is fixed.`,
    { integratedAccountId },
  );
}
