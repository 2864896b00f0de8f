import { promises as fs } from "node:fs";
import * as path from "node:path";
import { checkState } from "./state-schema";
import type { SandboxState } from "./types";

let tempCounter = 0;
// Temp copies this process is writing right now: the only ones with our pid that are not stale.
const writing = new Set<string>();

function tempPattern(file: string): RegExp {
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^\\.${base}\\.(\\d+)\\.\\d+\\.tmp$`);
}

function tempName(file: string): string {
  tempCounter += 1;
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${tempCounter}.tmp`);
}

// Says what went wrong in terms of the state file the user named, never the temp copy's name.
function writeFailure(file: string, error: unknown): Error {
  const dir = path.dirname(file);
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT"
      ? `its folder ${dir} does not exist. Create the folder first (mkdir -p "${dir}"), or choose a state file in an existing folder.`
      : code === "ENOTDIR"
        ? `${dir} is not a folder. Choose a state file inside a folder.`
        : code === "EACCES" || code === "EPERM" || code === "EROFS"
          ? `it may not write in ${dir} (${code}). Choose a state file in a folder you can write to.`
          : `${code ?? (error as Error).message}.`;
  return new Error(`Sandbox could not write its state file ${file}: ${why}`, { cause: error });
}

/**
 * Writes the state so a crash leaves either the old file or the new one, never half of each:
 * a temp file in the same directory (so rename stays on one filesystem), fsync, then rename.
 * A failure names `file`, not the temp copy.
 */
export async function writeStateAtomically(file: string, state: SandboxState): Promise<void> {
  const temp = tempName(file);
  writing.add(temp);
  try {
    await writeThenRename(temp, file, state);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw writeFailure(file, error);
  } finally {
    writing.delete(temp);
  }
  await syncDirectory(path.dirname(file));
}

async function writeThenRename(temp: string, file: string, state: SandboxState): Promise<void> {
  const handle = await fs.open(temp, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Deletes temp copies of `file` that a sandbox killed mid-write (kill -9) left behind: only names of
 * the form `.<name>.<pid>.<n>.tmp` next to it, and only when that process is gone (or is this one,
 * and is not writing it). Anything else in the folder is left alone.
 */
export async function removeStaleTempCopies(file: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(path.dirname(file));
  } catch {
    return; // No folder yet: nothing to clean, and the write that follows says what is wrong.
  }
  const pattern = tempPattern(file);
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    const temp = path.join(path.dirname(file), name);
    if (!Number.isSafeInteger(pid) || pid <= 0 || writing.has(temp)) continue;
    if (pid !== process.pid && processIsRunning(pid)) continue;
    await fs.rm(temp, { force: true });
  }
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
 * Loads the state file, or writes `seed` to it when it does not exist yet, after removing stale temp
 * copies of it. A file that exists but is not valid state is an error: silently replacing it would
 * throw away someone's data.
 */
export async function loadOrCreateStateFile(file: string, seed: SandboxState): Promise<SandboxState> {
  await removeStaleTempCopies(file);
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
