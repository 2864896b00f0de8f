/**
 * Root hook plugin for `npm run test:reliability` (see .mocharc.reliability.json): prints the
 * scenario × outcome tables the reliability suites recorded, once every test has run.
 */
import { renderOutcomes } from "../support/reliability/table";

/** Mocha's root hooks: one `afterAll` that prints the tables. */
export const mochaHooks = {
  afterAll(): void {
    console.log(renderOutcomes());
  },
};
