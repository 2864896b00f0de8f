/**
 * Lets this process `require` a TypeScript program, as Pulumi's Node.js runtime does for
 * `runtime: { options: { typescript: true } }`. Under mocha (ts-node already registered) it does nothing.
 */
import * as path from "node:path";
import { packageRoot } from "./package-root";

interface TsNode {
  register(options: { transpileOnly: boolean; project?: string; compilerOptions?: Record<string, unknown> }): unknown;
}

/** Registers ts-node (transpile only) for `.ts` files unless a TypeScript loader is already in place. */
export function ensureTypeScriptLoader(): void {
  if (require.extensions[".ts"]) return;
  let tsNode: TsNode;
  try {
    tsNode = require("ts-node") as TsNode;
  } catch {
    throw new Error(
      "Running a TypeScript Pulumi program needs ts-node, a devDependency of pulumi-truto-access. " +
        "Run the demo from a checkout of the repository after `npm install` (`npm run demo`).",
    );
  }
  // Type errors are `npm test`'s job; here, as in `pulumi up` with PULUMI_NODEJS_TRANSPILE_ONLY, only emit matters.
  tsNode.register({ transpileOnly: true, project: path.join(packageRoot(), "tsconfig.json"), compilerOptions: { module: "commonjs" } });
}
