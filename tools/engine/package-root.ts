/**
 * Where this package's checkout lives on disk: tools/engine sits two levels below it. The engine model,
 * the demo and the bench run from a checkout (under ts-node), never from an installed package.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** The package's name, as programs import it and as the provider shim requires it. */
export const PACKAGE_NAME = "pulumi-truto-access";

/** The root of this package (the directory holding its package.json). */
export function packageRoot(): string {
  const root = path.resolve(__dirname, "..", "..");
  const manifest = path.join(root, "package.json");
  const name = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name : undefined;
  if (name !== PACKAGE_NAME) {
    throw new Error(`Expected the ${PACKAGE_NAME} package.json at ${manifest}; the engine modules must stay in tools/engine.`);
  }
  return root;
}
