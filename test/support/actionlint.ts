/**
 * actionlint, the GitHub Actions workflow linter, for the examples/gitops tests: where it is and whether it must
 * be there. scripts/actionlint.sh builds the pinned release and prints its folder.
 */
import { findExecutable } from "../../tools/demo/find-executable";

/** `ACTIONLINT=required`: a missing actionlint fails the lint test instead of skipping it (CI sets this). */
export const ACTIONLINT_REQUIRED = process.env.ACTIONLINT === "required";

/** How to get actionlint onto PATH, for the skip and failure messages. */
export const ACTIONLINT_HINT = 'run `PATH="$(bash scripts/actionlint.sh):$PATH"` first';

/** The `actionlint` executable on PATH, or undefined. */
export function locateActionlint(): string | undefined {
  return findExecutable("actionlint");
}
