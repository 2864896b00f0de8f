/**
 * A throwaway "user project" that has installed pulumi-truto-access, so the provider host can be
 * started with the working directory the engine would give it (the program's directory).
 */
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PACKAGE_NAME, packageRoot } from "./package-root";

/** A consumer project on disk and the way to remove it. */
export interface ConsumerProject {
  /** Absolute path of the project directory; use it as the host's cwd. */
  dir: string;
  /** Removes the directory; links are removed, never followed, so the repository is untouched. */
  cleanup(): Promise<void>;
}

/** Options for {@link makeConsumerProject}. */
export interface ConsumerOptions {
  /** Extra packages to link into node_modules: package name → absolute directory. */
  links?: Record<string, string>;
}

/** Links `target` at `linkPath`, creating parent folders (scoped names need `@scope/`). */
async function link(target: string, linkPath: string): Promise<void> {
  await fs.mkdir(path.dirname(linkPath), { recursive: true });
  // "junction" makes directory links work on Windows without privileges; POSIX ignores it.
  await fs.symlink(target, linkPath, "junction");
}

/**
 * Creates a temp project whose node_modules holds pulumi-truto-access (a link to this repo) and
 * @pulumi (a link to the repo's own), exactly what `npm install pulumi-truto-access` gives a user.
 */
export async function makeConsumerProject(options: ConsumerOptions = {}): Promise<ConsumerProject> {
  const root = packageRoot();
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "truto-access-consumer-")));
  try {
    const manifest = {
      name: "truto-access-consumer",
      version: "0.0.0",
      private: true,
      dependencies: { [PACKAGE_NAME]: "*", "@pulumi/pulumi": "*" },
    };
    await fs.writeFile(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
    await link(root, path.join(dir, "node_modules", PACKAGE_NAME));
    await link(path.join(root, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"));
    for (const [name, target] of Object.entries(options.links ?? {})) {
      await link(path.resolve(target), path.join(dir, "node_modules", ...name.split("/")));
    }
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    // fs.rm uses lstat, so it unlinks the symlinks instead of descending into the repository.
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
