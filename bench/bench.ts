/**
 * Runs every scenario of issue 6 in one process and gathers the figures: provider size, host start-up,
 * throughput against a raw replay, CPU-bound throughput with a profile, requests per operation, the
 * rate-limited run and the host's peak memory.
 */
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeConsumerProject } from "../tools/engine/consumer-project";
import { summariseProfile } from "./cpu-profile";
import { trivialHostRun, type BaselineRun } from "./host-baseline";
import { startBenchHost } from "./host-session";
import { machineInfo } from "./machine";
import type { BenchPlan } from "./plan";
import { benchAccountId, requestCountPopulation, singleAccountPopulation, throughputPopulation } from "./population";
import { measureProviderText, serializeProviderText } from "./provider-bytes";
import { rateLimitedRun, type RateLimitedRun } from "./rate-limited";
import { countRequests, type IntegrationCounts } from "./request-counts";
import type { BenchResults } from "./results";
import { startSandboxProcess } from "./sandbox-process";
import { measureStartPairs } from "./start-time";
import { median, round } from "./stats";
import { throughputRun, type ThroughputRun } from "./throughput";
import { measureRegistration } from "./register-time";
import { countedSequence, timedSequence } from "./scale";
import { scaleOrg } from "./scale-population";
import { cliSequence } from "./scale-cli";
import { findExecutable } from "../tools/demo/find-executable";
import { scaleResults } from "./scale-results";
import { sizedTrivialProvider, trivialProvider } from "./trivial-provider";

/** Where progress goes (one line per step); the bench never prints the sandbox token. */
export type ProgressLog = (line: string) => void;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const packageRules = (): typeof import("../src/index").RULES => require("pulumi-truto-access").RULES;

/** Options for {@link runBench}. */
export interface RunOptions {
  log?: ProgressLog;
  /** Keep the host's CPU profile in the temp directory (its path is logged); default false removes it. */
  keepProfile?: boolean;
}

/** Runs the plan and returns the results; needs a built package (`npm run build`). */
export async function runBench(plan: BenchPlan, options: RunOptions = {}): Promise<BenchResults> {
  const log = options.log ?? (() => undefined);
  if (plan.runs < 3) throw new Error(`bench: every figure is a median of at least 3 runs; the plan asks for ${plan.runs}.`);
  const machine = machineInfo();
  log(
    `plan ${plan.name}: ${plan.assignments} assignments, concurrency ${plan.concurrency}, latency ${plan.latencyMs} ms, ${plan.runs} runs; load average ${machine.loadAverage.join(" ")}`,
  );

  const provider = await measureProviderText();
  log(
    `__provider: ${provider.bytesPerResource.join(", ")} bytes per resource${provider.identical ? " (identical)" : " (DIFFERENT per resource)"}`,
  );

  const sandbox = await startSandboxProcess();
  const consumer = await makeConsumerProject();
  const profileDir = await fs.mkdtemp(path.join(os.tmpdir(), "truto-bench-profile-"));
  try {
    const hostEnv = {
      TRUTO_API_TOKEN: sandbox.token,
      TRUTO_BASE_URL: sandbox.url,
      TRUTO_RATE_LIMIT: "off",
      TRUTO_SETTLE_MS: String(plan.settleMs),
      NODE_OPTIONS: undefined,
    };
    const trivialText = await serializeProviderText(trivialProvider);
    const startPairs = await measureStartPairs(
      consumer.dir,
      hostEnv,
      {
        providerText: provider.text,
        inputs: { integratedAccountId: benchAccountId(1), integration: "jumpcloud", userId: "u1", roles: [{ id: "manager" }] },
      },
      { providerText: trivialText, inputs: { name: "probe" } },
      plan.startPairs,
    );
    log(`start to first Check: ${startPairs.map((p) => `${p.oursMs.toFixed(0)}/${p.trivialMs.toFixed(0)} ms`).join(", ")} (ours/trivial)`);

    const counts = requestCountPopulation(plan.refreshFanout);
    await sandbox.configure({ latencyMs: 0, rateLimit: false });
    await sandbox.putState(counts.state);
    const requestCounts: IntegrationCounts[] = [];
    const countHost = await startBenchHost({
      cwd: consumer.dir,
      url: sandbox.url,
      token: sandbox.token,
      settleMs: plan.settleMs,
      rateLimit: "off",
    });
    try {
      const rules = packageRules() as unknown as Record<
        string,
        { rolesPerRequest: "one" | "many"; readBack: "user-roles" | "role-assignments" }
      >;
      for (const c of counts.cases) {
        const result = await countRequests(countHost, sandbox, provider.text, c, rules[c.integration], plan.refreshFanout);
        requestCounts.push(result);
        log(
          `requests per op, ${c.integration}: create ${result.create.requests}, update ${result.update.requests}, delete ${result.delete.requests}, refresh of ${plan.refreshFanout}: ${result.refreshUserReads.requests} user read(s)`,
        );
      }
    } finally {
      await countHost.kill();
    }

    const ctx = { sandbox, cwd: consumer.dir, providerText: provider.text, concurrency: plan.concurrency, settleMs: plan.settleMs };
    const population = throughputPopulation(plan.assignments);
    const throughputRuns: ThroughputRun[] = [];
    for (let i = 0; i < plan.runs; i++) {
      const run = await throughputRun(ctx, population, plan.latencyMs);
      throughputRuns.push(run);
      log(
        `throughput run ${i + 1} (latency ${plan.latencyMs} ms): host ${run.hostMs.toFixed(0)} ms, replay ${run.replayMs.toFixed(0)} ms, ratio ${run.ratio.toFixed(3)}, ${run.requests} requests, host peak ${run.hostPeakMB?.toFixed(1)} MB`,
      );
    }
    const cpuBoundRuns: ThroughputRun[] = [];
    const trivialRuns: BaselineRun[] = [];
    const sizedTrivialRuns: BaselineRun[] = [];
    const sizedText = await serializeProviderText(sizedTrivialProvider(throughputRuns[0].sampleOutputs ?? {}));
    for (let i = 0; i < plan.runs; i++) {
      const run = await throughputRun(ctx, population, 0);
      cpuBoundRuns.push(run);
      log(
        `CPU-bound run ${i + 1}: ${run.opsPerSec.toFixed(0)} ops/s (host ${run.hostMs.toFixed(0)} ms, replay ${run.replayMs.toFixed(0)} ms), host CPU ${((run.cpuMs.host ?? NaN) / run.operations).toFixed(2)} ms/op, undici replay CPU ${(run.replayCpuMs.client / run.operations).toFixed(2)} ms/op, host peak ${run.hostPeakMB?.toFixed(1)} MB`,
      );
      const baseline = await trivialHostRun(consumer.dir, trivialText, population, plan.concurrency);
      trivialRuns.push(baseline);
      log(`  same load on the trivial provider: ${baseline.opsPerSec.toFixed(0)} ops/s, host peak ${baseline.hostPeakMB?.toFixed(1)} MB`);
      const sized = await trivialHostRun(consumer.dir, sizedText, population, plan.concurrency);
      sizedTrivialRuns.push(sized);
      log(
        `  same load on the trivial provider with outputs of our size: ${sized.opsPerSec.toFixed(0)} ops/s, host CPU ${((sized.hostCpuMs ?? NaN) / sized.operations).toFixed(2)} ms/op, host peak ${sized.hostPeakMB?.toFixed(1)} MB`,
      );
    }
    const slowPopulation = throughputPopulation(plan.slowLatency.assignments);
    const slowRuns: ThroughputRun[] = [];
    for (let i = 0; i < plan.slowLatency.runs; i++) {
      const run = await throughputRun(ctx, slowPopulation, plan.slowLatency.latencyMs);
      slowRuns.push(run);
      log(
        `throughput run ${i + 1} (latency ${plan.slowLatency.latencyMs} ms, ${plan.slowLatency.assignments} assignments): host ${run.hostMs.toFixed(0)} ms, replay ${run.replayMs.toFixed(0)} ms, ratio ${run.ratio.toFixed(3)}`,
      );
    }
    let profiledRun: ThroughputRun | undefined;
    let profile: BenchResults["details"]["profile"];
    if (plan.profile) {
      profiledRun = await throughputRun(ctx, population, 0, profileDir);
      profile = await summariseProfile(profiledRun.profileFile!);
      log(
        `profiled CPU-bound run: ${profiledRun.opsPerSec.toFixed(0)} ops/s under the sampling profiler; profile at ${profiledRun.profileFile}`,
      );
    }

    const single = singleAccountPopulation(plan.rateLimited.creates);
    const rateLimitedRuns: RateLimitedRun[] = [];
    for (let i = 0; i < plan.runs; i++) {
      const run = await rateLimitedRun(sandbox, consumer.dir, provider.text, single, plan.rateLimited, plan.concurrency, plan.settleMs);
      rateLimitedRuns.push(run);
      log(
        `rate-limited run ${i + 1}: ${run.wallMs.toFixed(0)} ms for ${run.limitedRequests} limited requests (minimum ${run.minimumMs} ms), ${run.rateLimited429s} × 429, ${run.pausesOver100Ms} pauses over 100 ms (window edges: ${Math.ceil(run.limitedRequests / plan.rateLimited.limit) - 1})`,
      );
    }

    const org = scaleOrg(plan.scale.people);
    log(`scale: ${plan.scale.people} people, ${org.resources.length} RoleAssignments, concurrency ${plan.scale.concurrency}`);
    const scaleCtx = {
      sandbox,
      cwd: consumer.dir,
      providerText: provider.text,
      concurrency: plan.scale.concurrency,
      settleMs: plan.settleMs,
      log,
    };
    const perResource = await countedSequence(scaleCtx, org, "per-resource");
    const coalesced = await countedSequence(scaleCtx, org, "coalesced");
    const timed = await timedSequence(scaleCtx, org, coalesced, plan.scale.timed);
    const register = [];
    for (const count of plan.scale.register) {
      const measured = await measureRegistration(plan.scale.people, count);
      register.push(measured);
      log(
        `registering ${count} RoleAssignments in one program: ${measured.ms.toFixed(0)} ms, ${measured.msPerResource.toFixed(2)} ms each`,
      );
    }
    const pulumi = findExecutable("pulumi");
    const cli = !plan.scale.cli
      ? { notRun: "the plan leaves it out" }
      : pulumi === undefined
        ? { notRun: 'the Pulumi CLI is not on PATH (run `PATH="$(bash scripts/pulumi-cli.sh):$PATH"` first)' }
        : await cliSequence({
            pulumi,
            sandbox,
            org,
            parallel: plan.scale.concurrency,
            strategy: "coalesced",
            settleMs: plan.settleMs,
            log,
          });
    if ("notRun" in cli) log(`scale through the real CLI: not run: ${cli.notRun}`);
    const scale = scaleResults(perResource, coalesced, timed, register, plan.scale, cli);

    const perOpCpu = (runs: { cpu: number | null; ops: number }[]) => med(runs.map((x) => (x.cpu === null ? null : x.cpu / x.ops)));
    const oursCpu = perOpCpu(cpuBoundRuns.map((x) => ({ cpu: x.cpuMs.host, ops: x.operations })));
    const sizedCpu = perOpCpu(sizedTrivialRuns.map((x) => ({ cpu: x.hostCpuMs, ops: x.operations })));
    const undiciCpu = perOpCpu(cpuBoundRuns.map((x) => ({ cpu: x.replayCpuMs.client, ops: x.operations })));
    const oursPeak = med(cpuBoundRuns.map((x) => x.hostPeakMB));
    const sizedPeak = med(sizedTrivialRuns.map((x) => x.hostPeakMB));

    const jumpcloud = requestCounts.find((c) => c.integration === "jumpcloud")!;
    const peaks = throughputRuns.map((r) => r.hostPeakMB).filter((p): p is number => p !== null);
    const allPeaks = [...throughputRuns, ...cpuBoundRuns].map((r) => r.hostPeakMB).filter((p): p is number => p !== null);
    return {
      providerBytes: median(provider.bytesPerResource),
      startRatio: round(median(startPairs.map((p) => p.ratio)), 3),
      throughputRatio: round(median(throughputRuns.map((r) => r.ratio)), 3),
      cpuBoundOpsPerSec: round(median(cpuBoundRuns.map((r) => r.opsPerSec)), 0),
      requestsPerOp: {
        create: jumpcloud.create.requests,
        update: jumpcloud.update.requests,
        delete: jumpcloud.delete.requests,
        refresh: jumpcloud.refreshUserReads.requests,
      },
      rateLimited429s: rateLimitedRuns.reduce((sum, r) => sum + r.rateLimited429s, 0),
      rateLimitedWallRatio: round(median(rateLimitedRuns.map((r) => r.ratio)), 3),
      hostPeakMB: peaks.length ? round(median(peaks), 1) : null,
      hostPeakRatio: oursPeak !== null && sizedPeak ? round(oursPeak / sizedPeak, 3) : null,
      cpuPerOpRatio: oursCpu !== null && sizedCpu !== null && undiciCpu !== null ? round(oursCpu / (sizedCpu + undiciCpu), 3) : null,
      throughputRatio150ms: round(median(slowRuns.map((r) => r.ratio)), 3),
      scale,
      machine,
      node: process.version,
      date: new Date().toISOString(),
      plan: plan.name,
      details: {
        providerBytesPerResource: provider.bytesPerResource,
        providerTextIdentical: provider.identical,
        startPairs: startPairs.map((p) => ({ oursMs: round(p.oursMs, 1), trivialMs: round(p.trivialMs, 1), ratio: round(p.ratio, 3) })),
        throughputRuns: throughputRuns.map(rounded),
        cpuBoundRuns: cpuBoundRuns.map(rounded),
        trivialHostRuns: trivialRuns.map(roundedBaseline),
        sizedTrivialHostRuns: sizedTrivialRuns.map(roundedBaseline),
        slowLatencyRuns: slowRuns.map(rounded),
        profiledRun: profiledRun && rounded(profiledRun),
        profile,
        requestCounts,
        rateLimitedRuns: rateLimitedRuns.map((r) => ({ ...r, wallMs: round(r.wallMs, 0), ratio: round(r.ratio, 3) })),
        requestsPerOpAmortised: round(median(throughputRuns.map((r) => r.requests / r.operations)), 3),
        hostPeakMBMax: allPeaks.length ? round(Math.max(...allPeaks), 1) : null,
        settings: {
          assignments: plan.assignments,
          concurrency: plan.concurrency,
          latencyMs: plan.latencyMs,
          settleMs: plan.settleMs,
          refreshFanout: plan.refreshFanout,
          rateLimit: `${plan.rateLimited.creates} creates at ${plan.rateLimited.limit}/${plan.rateLimited.windowMs / 1000}s`,
          runs: plan.runs,
          slowLatency: plan.slowLatency,
        },
      },
    };
  } finally {
    await sandbox.stop();
    await consumer.cleanup();
    if (!options.keepProfile) await fs.rm(profileDir, { recursive: true, force: true });
  }
}

const med = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length ? median(known) : null;
};

function roundedBaseline(b: BaselineRun): BaselineRun {
  return {
    ...b,
    hostMs: round(b.hostMs, 0),
    opsPerSec: round(b.opsPerSec, 0),
    hostPeakMB: b.hostPeakMB === null ? null : round(b.hostPeakMB, 1),
  };
}

// Machine paths stay out of results.json: the profile's location is printed, not stored; nor are the sampled outputs.
function rounded({ sampleOutputs: _sample, ...run }: ThroughputRun): ThroughputRun {
  return {
    ...run,
    hostMs: round(run.hostMs, 0),
    replayMs: round(run.replayMs, 0),
    ratio: round(run.ratio, 3),
    opsPerSec: round(run.opsPerSec, 0),
    hostPeakMB: run.hostPeakMB === null ? null : round(run.hostPeakMB, 1),
    cpuMs: { host: run.cpuMs.host, driver: round(run.cpuMs.driver, 0), sandbox: run.cpuMs.sandbox },
    replayCpuMs: { client: round(run.replayCpuMs.client, 0), sandbox: run.replayCpuMs.sandbox },
    profileFile: run.profileFile === undefined ? undefined : path.basename(run.profileFile),
  };
}
