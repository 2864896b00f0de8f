import { promises as fs } from "node:fs";
import * as path from "node:path";
import { checkState } from "./state-schema";
import type { SandboxState } from "./types";

let tempCounter = 0;

/**
 * Writes the state so a crash leaves either the old file or the new one, never half of each:
 * a temp file in the same directory (so rename stays on one filesystem), fsync, then rename.
 */
export async function writeStateAtomically(file: string, state: SandboxState): Promise<void> {
  const dir = path.dirname(file);
  tempCounter += 1;
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${tempCounter}.tmp`);
  const handle = await fs.open(temp, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

// The rename itself lives in the directory entry; fsync it where the platform allows (not Windows).
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch {
    // Best effort: some filesystems refuse fsync on directories; the data file is already synced.
  } finally {
    await handle?.close();
  }
}

/**
 * Loads the state file, or writes `seed` to it when it does not exist yet. A file that exists but
 * is not valid state is an error: silently replacing it would throw away someone's data.
 */
export async function loadOrCreateStateFile(file: string, seed: SandboxState): Promise<SandboxState> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`Sandbox could not read its state file ${file}: ${(error as Error).message}`, { cause: error });
    }
    await writeStateAtomically(file, seed);
    return seed;
  }
  const remedy = "Fix the file, or delete it to start again from the seed.";
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Sandbox state file ${file} is not valid JSON (${(error as Error).message}). ${remedy}`, {
      cause: error,
    });
  }
  const check = checkState(json);
  if (!check.ok) {
    throw new Error(`Sandbox state file ${file} does not have the sandbox state shape:\n${check.message}\n${remedy}`);
  }
  return check.state;
}
