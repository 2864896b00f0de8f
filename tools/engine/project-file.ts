/**
 * The two fields of a Pulumi.yaml the engine needs: the project's name (which namespaces its config)
 * and its entry point. A line-based read is enough for these top-level scalars and adds no YAML parser.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** A Pulumi project on disk. */
export interface ProjectFile {
  /** The directory holding Pulumi.yaml. */
  dir: string;
  /** `name:`; un-prefixed config keys belong to it. */
  name: string;
  /** The program's entry file, absolute: `main:` resolved against `dir`, else `dir/index.ts`. */
  main: string;
}

function scalar(text: string, key: string): string | undefined {
  const match = new RegExp(`^${key}:[ \\t]*(.*?)[ \\t]*$`, "m").exec(text);
  const value = match?.[1].replace(/\s+#.*$/, "").replace(/^(["'])(.*)\1$/, "$2");
  return value ? value : undefined;
}

/** Reads `dir/Pulumi.yaml`; throws naming the file when it or its `name` is missing. */
export function readProjectFile(dir: string): ProjectFile {
  const file = path.join(dir, "Pulumi.yaml");
  if (!existsSync(file)) throw new Error(`No Pulumi.yaml in ${dir}: point the engine at a Pulumi project directory.`);
  const text = readFileSync(file, "utf8");
  const name = scalar(text, "name");
  if (!name) throw new Error(`${file} has no top-level "name:"; Pulumi needs one to namespace the project's config.`);
  const main = scalar(text, "main");
  return { dir, name, main: path.resolve(dir, main ?? "index.ts") };
}
