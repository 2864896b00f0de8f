/** Finds a command on PATH the way a shell would, without running it. */
import { accessSync, constants, statSync } from "node:fs";
import * as path from "node:path";

/** The absolute path of `name` on `env.PATH` (with PATHEXT on Windows), or undefined when it is not there. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  const exts = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here, or not executable: keep looking, as a shell does.
      }
    }
  }
  return undefined;
}
