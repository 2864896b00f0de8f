/**
 * Writing a file so that readers see the old content or the new, never half of either: the text goes to a
 * temporary file beside it, then a rename replaces the target. An export that is interrupted leaves the
 * previous export in place, and running it again simply rewrites it.
 */
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";

/** Writes `text` to `path` atomically (same directory, so the rename never crosses file systems). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, { encoding: "utf8", flag: "wx" });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
