/**
 * Host start-up: from spawning the provider host to its first Check answered (Configure in between, as the
 * engine sends it), for our provider and for a trivial one, measured in alternating pairs in one run.
 */
import { startHost, urn } from "../tools/engine/host";

/** One side of a pair: the provider text and inputs its first Check gets. */
export interface StartSubject {
  providerText: string;
  inputs: Record<string, unknown>;
}

/** One measured pair. */
export interface StartPair {
  oursMs: number;
  trivialMs: number;
  /** oursMs ÷ trivialMs. */
  ratio: number;
}

/** Milliseconds from spawn to the first Check's answer; throws if Check reports failures. */
export async function startToFirstCheck(cwd: string, env: Record<string, string | undefined>, subject: StartSubject): Promise<number> {
  const started = performance.now();
  const host = await startHost({ cwd, env, deadlineMs: 60_000 });
  try {
    await host.configure({});
    const checked = await host.check(urn("start-probe"), {}, { ...subject.inputs, __provider: subject.providerText });
    const elapsed = performance.now() - started;
    if (checked.failures.length > 0) throw new Error(`bench: the start-up probe's Check failed: ${JSON.stringify(checked.failures)}`);
    return elapsed;
  } finally {
    await host.kill();
  }
}

/** Measures `pairs` pairs after one unmeasured warm-up pair; the order inside a pair alternates. */
export async function measureStartPairs(
  cwd: string,
  env: Record<string, string | undefined>,
  ours: StartSubject,
  trivial: StartSubject,
  pairs: number,
): Promise<StartPair[]> {
  // Warm the file-system cache for both, so the first measured pair is not paying for disk reads.
  await startToFirstCheck(cwd, env, ours);
  await startToFirstCheck(cwd, env, trivial);
  const out: StartPair[] = [];
  for (let i = 0; i < pairs; i++) {
    let oursMs: number;
    let trivialMs: number;
    if (i % 2 === 0) {
      oursMs = await startToFirstCheck(cwd, env, ours);
      trivialMs = await startToFirstCheck(cwd, env, trivial);
    } else {
      trivialMs = await startToFirstCheck(cwd, env, trivial);
      oursMs = await startToFirstCheck(cwd, env, ours);
    }
    out.push({ oursMs, trivialMs, ratio: oursMs / trivialMs });
  }
  return out;
}
