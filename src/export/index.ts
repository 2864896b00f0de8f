/**
 * `export`: reads every user and role of the given accounts through Truto and writes the access map as a
 * typed TypeScript module (plus a starting program) or as JSON.
 */
import { access, constants } from "node:fs/promises";
import * as path from "node:path";
import type { TrutoClient } from "../truto/client";
import { buildAccessMap, type AccessMap } from "./access-map";
import { writeFileAtomic } from "./atomic-write";
import { readAccounts, type Progress } from "./live-access";
import { renderJson, renderProgram, renderTypeScript } from "./render";

export { buildAccessMap, ACCOUNT_WIDE, type AccessMap } from "./access-map";
export { readAccounts, readAccount, LiveAccessError, LiveAccessErrorCodes, type LiveAccount, type LiveGrant } from "./live-access";

/** What to write and where. */
export interface ExportOptions {
  readonly outDir: string;
  readonly format: "ts" | "json";
  readonly progress?: Progress;
}

/** What an export wrote. */
export interface ExportResult {
  readonly map: AccessMap;
  /** The files written, relative to `outDir`. */
  readonly written: string[];
  /** Files left alone because they exist (the program, which is yours to edit). */
  readonly kept: string[];
}

async function exists(file: string): Promise<boolean> {
  return access(file, constants.F_OK).then(
    () => true,
    () => false,
  );
}

/** Reads `accounts` and writes `access.ts` (and `index.ts` if there is none) or `access.json` into `outDir`. */
export async function exportAccess(client: TrutoClient, accounts: readonly string[], options: ExportOptions): Promise<ExportResult> {
  const live = await readAccounts(client, accounts, options.progress);
  const map = buildAccessMap(live);
  const written: string[] = [];
  const kept: string[] = [];
  if (options.format === "json") {
    await writeFileAtomic(path.join(options.outDir, "access.json"), renderJson(map));
    written.push("access.json");
  } else {
    await writeFileAtomic(path.join(options.outDir, "access.ts"), renderTypeScript(map));
    written.push("access.ts");
    // The program is a starting point the user edits: an export never overwrites it.
    if (await exists(path.join(options.outDir, "index.ts"))) kept.push("index.ts");
    else {
      await writeFileAtomic(path.join(options.outDir, "index.ts"), renderProgram());
      written.push("index.ts");
    }
  }
  return { map, written, kept };
}
