/**
 * Renders results as the Markdown tables the README and the issue use: headline figures against their
 * targets, requests per operation per integration, and where the host's CPU time went.
 */
import type { BenchResults } from "./results";
import type { OpCount } from "./scale";
import { SCALE_OPS, type ScaleOp } from "./scale-floor";
import { SCALE_TARGETS } from "./scale-results";
import { median } from "./stats";

type Verdict = "ok" | "MISSED" | "";

function verdict(pass: boolean | undefined): Verdict {
  return pass === undefined ? "" : pass ? "ok" : "MISSED";
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const n = (v: number | null, digits = 0) =>
  v === null || Number.isNaN(v) ? "n/a" : v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The headline table: each figure, its target, and whether it was met. */
export function headlineTable(r: BenchResults): string {
  const s = r.details.settings;
  const jc = r.details.requestCounts.find((c) => c.integration === "jumpcloud");
  const budgets = jc ? `≤ ${jc.create.budget} / ${jc.update.budget} / ${jc.delete.budget} / ${jc.refreshUserReads.budget}` : "";
  const perOp = r.requestsPerOp;
  const perOpOk = jc
    ? perOp.create <= jc.create.budget && perOp.update <= jc.update.budget && perOp.delete <= jc.delete.budget && perOp.refresh <= 1
    : undefined;
  const rows: string[][] = [
    ["`__provider` bytes per resource", n(r.providerBytes), "≤ 2,560", verdict(r.providerBytes <= 2560 && r.details.providerTextIdentical)],
    ["host start → first Check, ours ÷ trivial provider", n(r.startRatio, 2), "≤ 1.3", verdict(r.startRatio <= 1.3)],
    [
      `${n(s.assignments)} creates + ${n(s.assignments)} deletes at concurrency ${s.concurrency}, ${s.latencyMs} ms latency: host ÷ raw undici replay`,
      n(r.throughputRatio, 3),
      "≤ 1.15",
      verdict(r.throughputRatio <= 1.15),
    ],
    ["the same with no added latency: operations per second", n(r.cpuBoundOpsPerSec), "reported", ""],
    [
      "HTTP requests per op (JumpCloud): create / update / delete / refresh (user reads)",
      `${perOp.create} / ${perOp.update} / ${perOp.delete} / ${perOp.refresh}`,
      budgets,
      verdict(perOpOk),
    ],
    [`${s.rateLimit}: 429s`, n(r.rateLimited429s), "0", verdict(r.rateLimited429s === 0)],
    [`${s.rateLimit}: wall ÷ minimum the limit allows`, n(r.rateLimitedWallRatio, 3), "≤ 1.15", verdict(r.rateLimitedWallRatio <= 1.15)],
    ["host peak memory (VmHWM), MB", n(r.hostPeakMB, 1), "≤ 150", verdict(r.hostPeakMB === null ? undefined : r.hostPeakMB <= 150)],
  ];
  return table(["figure", "measured", "target", ""], rows);
}

/** Requests per operation for every integration kind, against each budget. */
export function requestCountTable(r: BenchResults): string {
  const cell = (c: { requests: number; budget: number }) => `${c.requests} (≤ ${c.budget})${c.requests > c.budget ? " MISSED" : ""}`;
  return table(
    [
      "integration",
      "create",
      "update",
      "delete",
      `refresh of ${r.details.settings.refreshFanout}: user reads`,
      "refresh: all requests",
      "account lookups",
    ],
    r.details.requestCounts.map((c) => [
      c.integration,
      cell(c.create),
      cell(c.update),
      cell(c.delete),
      cell(c.refreshUserReads),
      String(c.refreshRequests),
      String(c.accountLookups),
    ]),
  );
}

/** Where the profiled host spent its CPU time, by package and by function. */
export function profileTables(r: BenchResults): string {
  const p = r.details.profile;
  if (!p) return "(no profile: the plan did not ask for one)";
  const busy = `busy ${n(p.busyMs)} ms of ${n(p.totalMs)} ms sampled`;
  const pkgs = table(
    ["package", "self ms", "% of busy"],
    p.byPackage.map((row) => [row.name, n(row.ms, 1), n(row.percent, 1)]),
  );
  const fns = table(
    ["function", "self ms", "% of busy"],
    p.topFunctions.map((row) => [`\`${row.name}\``, n(row.ms, 1), n(row.percent, 1)]),
  );
  return `${busy}\n\n${pkgs}\n\n${fns}`;
}

const med = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? median(known) : null;
};

/** Wall time, CPU per operation by process, and peak memory: ours, the raw replay, and the trivial provider. */
export function costTable(r: BenchResults): string {
  const d = r.details;
  const perOp = (ms: number | null, ops: number) => (ms === null ? "n/a" : (ms / ops).toFixed(2));
  const ours = (runs: typeof d.throughputRuns, label: string): string[][] => {
    if (runs.length === 0) return [];
    const ops = runs[0].operations;
    return [
      [
        `ours, ${label}`,
        n(med(runs.map((x) => x.hostMs))),
        perOp(med(runs.map((x) => x.cpuMs.host)), ops),
        perOp(med(runs.map((x) => x.cpuMs.driver)), ops),
        perOp(med(runs.map((x) => x.cpuMs.sandbox)), ops),
        n(med(runs.map((x) => x.hostPeakMB)), 1),
      ],
      [
        `raw undici replay, ${label}`,
        n(med(runs.map((x) => x.replayMs))),
        "—",
        perOp(med(runs.map((x) => x.replayCpuMs.client)), ops),
        perOp(med(runs.map((x) => x.replayCpuMs.sandbox)), ops),
        "—",
      ],
    ];
  };
  const t = d.trivialHostRuns;
  const trivial = t.length
    ? [
        [
          "trivial provider (no HTTP), no latency",
          n(med(t.map((x) => x.hostMs))),
          perOp(med(t.map((x) => x.hostCpuMs)), t[0].operations),
          "",
          "—",
          n(med(t.map((x) => x.hostPeakMB)), 1),
        ],
      ]
    : [];
  return table(
    ["run (medians)", "wall ms", "host CPU ms/op", "driver or client CPU ms/op", "sandbox CPU ms/op", "host peak MB"],
    [...ours(d.throughputRuns, `${d.settings.latencyMs} ms latency`), ...ours(d.cpuBoundRuns, "no latency"), ...trivial],
  );
}

/** What each operation costs in time as the engine sees it, next to one raw request, per scenario. */
export function latencyTable(r: BenchResults): string {
  const d = r.details;
  const row = (runs: typeof d.throughputRuns, label: string): string[] => {
    const p = (pick: (x: (typeof runs)[number]) => { p50: number; p90: number }) =>
      `${n(med(runs.map((x) => pick(x).p50)), 1)} / ${n(med(runs.map((x) => pick(x).p90)), 1)}`;
    return [label, p((x) => x.latency.check), p((x) => x.latency.create), p((x) => x.latency.delete), p((x) => x.latency.replayRequest)];
  };
  const rows = [
    row(d.throughputRuns, `${d.settings.latencyMs} ms latency`),
    ...(d.cpuBoundRuns.length ? [row(d.cpuBoundRuns, "no latency")] : []),
  ];
  return table(["scenario", "Check RPC p50 / p90 ms", "Create RPC", "Delete RPC", "one raw request (replay)"], rows);
}

/** Every table, with the context a reader needs to weigh the numbers. */
export function report(r: BenchResults): string {
  const m = r.machine;
  return [
    `Node ${r.node} on ${m.cpus} × ${m.model}, ${m.memory} GB; load average at start ${m.loadAverage.join(" ")}; plan "${r.plan}"; ${r.date}`,
    "",
    headlineTable(r),
    "",
    "Requests per operation (budget in brackets: writes the roles-per-request rule needs + read-back; refresh: one user read):",
    "",
    requestCountTable(r),
    "",
    "Where the time and memory go (the driver plays the engine over gRPC; the raw replay's client is undici alone):",
    "",
    costTable(r),
    "",
    "Latency at the engine's side: a Create or Delete makes two requests in sequence (write, read-back), so it costs at least two raw requests:",
    "",
    latencyTable(r),
    "",
    `Scale (issue 14): ${n(r.scale.details.people)} people, ${n(r.scale.details.resources)} RoleAssignments at concurrency ${r.scale.details.concurrency}. Targets:`,
    "",
    scaleTargetTable(r),
    "",
    "Requests per operation against the floor (writes the rules require, one per assignment and one per role on Slack Enterprise; for refresh, the pages to list each account or workspace once), both read strategies, counted with no limits; then the coalesced strategy timed under " +
      `${r.scale.details.timedSettings.account.limit} per ${r.scale.details.timedSettings.account.windowMs} ms per account and ${r.scale.details.timedSettings.token.limit} per ${r.scale.details.timedSettings.token.windowMs} ms per token${r.scale.details.tokenLimitEnforced ? "" : " (not enforced: the sandbox has no tokenRateLimit)"}, ${r.scale.details.timedSettings.latencyMs} ms latency:`,
    "",
    scaleTable(r),
    "",
    "notRun" in r.scale.cli
      ? `The real CLI column: not run (${r.scale.cli.notRun}).`
      : `The real CLI column: ${r.scale.cli.version}, \`pulumi up --parallel ${r.scale.cli.parallel}\` and so on, one command per operation (its own engine and provider host), counted as the column before it.`,
    "",
    "Scale requests by endpoint:",
    "",
    scaleEndpointTable(r),
    "",
    `Where the host's time goes (one extra CPU-bound run under the V8 sampling profiler, ${n(r.details.profiledRun?.opsPerSec ?? null)} ops/s while profiled):`,
    "",
    profileTables(r),
  ].join("\n");
}

const opNames: Record<ScaleOp, string> = {
  up: "create all",
  refresh: "refresh all",
  update: "change 10% of the roles",
  destroy: "destroy all",
};

/** The scale scenario's keys against issue 14's targets. */
export function scaleTargetTable(r: BenchResults): string {
  const s = r.scale;
  const T = SCALE_TARGETS;
  const split = (x: { slack: number; others: number }) => `${n(x.slack, 2)} / ${n(x.others, 2)}`;
  const splitOk = (x: { slack: number; others: number }) => x.slack <= T.writeSlack && x.others <= T.writeOthers;
  const writeTarget = `≤ ${T.writeSlack} / ≤ ${T.writeOthers}`;
  const wall = SCALE_OPS.map((op) => (s.wallRatio[op] === null ? "not timed" : n(s.wallRatio[op], 2))).join(" / ");
  const timedRatios = SCALE_OPS.map((op) => s.wallRatio[op]).filter((v): v is number => v !== null);
  const registered = Object.entries(s.registerMsPerResource)
    .map(([count, ms]) => `${n(Number(count))}: ${n(ms, 2)}`)
    .join(", ");
  const rows: string[][] = [
    ["`scale.up.requestsPerFloor` (Slack / others)", split(s.up.requestsPerFloor), writeTarget, verdict(splitOk(s.up.requestsPerFloor))],
    [
      "`scale.refresh.requestsPerFloor`",
      n(s.refresh.requestsPerFloor, 2),
      `≤ ${T.refresh}`,
      verdict(s.refresh.requestsPerFloor <= T.refresh),
    ],
    ["`scale.update.requestsPerFloor`", split(s.update.requestsPerFloor), writeTarget, verdict(splitOk(s.update.requestsPerFloor))],
    ["`scale.destroy.requestsPerFloor`", split(s.destroy.requestsPerFloor), writeTarget, verdict(splitOk(s.destroy.requestsPerFloor))],
    [
      "`scale.baseline.*` (per-resource): up / refresh / update / destroy",
      `${split(s.baseline.up.requestsPerFloor)}; ${n(s.baseline.refresh.requestsPerFloor, 2)}; ${split(s.baseline.update.requestsPerFloor)}; ${split(s.baseline.destroy.requestsPerFloor)}`,
      "reported",
      "",
    ],
    [
      `\`scale.rateLimited429s\`${s.details.tokenLimitEnforced ? "" : " (the sandbox enforced no per-token limit)"}`,
      n(s.rateLimited429s),
      "0",
      verdict(s.rateLimited429s === 0),
    ],
    [
      "`scale.wallRatio`: up / refresh / update / destroy",
      wall,
      `≤ ${T.wallRatio}`,
      timedRatios.length === 0 ? "" : verdict(timedRatios.length === SCALE_OPS.length && timedRatios.every((v) => v <= T.wallRatio)),
    ],
    ["`scale.registerMsPerResource` (resources: ms each)", registered, "linear", ""],
    [
      "`hostPeakRatio`",
      n(r.hostPeakRatio, 2),
      `≤ ${T.hostPeakRatio}`,
      verdict(r.hostPeakRatio === null ? undefined : r.hostPeakRatio <= T.hostPeakRatio),
    ],
    [
      "`cpuPerOpRatio`",
      n(r.cpuPerOpRatio, 2),
      `≤ ${T.cpuPerOpRatio}`,
      verdict(r.cpuPerOpRatio === null ? undefined : r.cpuPerOpRatio <= T.cpuPerOpRatio),
    ],
    [
      "`throughputRatio150ms`",
      n(r.throughputRatio150ms, 3),
      `≤ ${T.throughputRatio150ms}`,
      verdict(r.throughputRatio150ms <= T.throughputRatio150ms),
    ],
  ];
  return table(["key", "measured", "target", ""], rows);
}

/** Each operation with both read strategies side by side: requests, floor, requests ÷ floor, and the timed run. */
export function scaleTable(r: BenchResults): string {
  const d = r.scale.details;
  const cell = (c: OpCount, op: ScaleOp) =>
    op === "refresh"
      ? `${n(c.requests)} (${n(c.requestsPerFloor.all, 2)}×)`
      : `${n(c.requests)} (${n(c.requestsPerFloor.slack, 2)}× / ${n(c.requestsPerFloor.others, 2)}×)`;
  const timedCell = (op: ScaleOp) => {
    const t = d.timed[op];
    if (t.wallRatio === null) return `not timed${t.minimumMs ? ` (minimum ${n(t.minimumMs / 1000, 0)} s)` : ""}`;
    return `${n((t.wallMs ?? NaN) / 1000, 1)} s ÷ ${n((t.minimumMs ?? NaN) / 1000, 1)} s = ${n(t.wallRatio, 2)}${t.notTimed ? " (stopped)" : ""}, ${n(t.rateLimited429s)} × 429`;
  };
  return table(
    [
      "operation",
      "floor",
      "per-resource: requests (÷ floor, Slack / others)",
      "coalesced: requests (÷ floor)",
      "per assignment: per-resource / coalesced",
      "lookups",
      "coalesced under the limits: wall ÷ minimum",
      "coalesced, real CLI: requests (÷ floor), wall",
    ],
    SCALE_OPS.map((op) => {
      const b = d.counts.perResource[op];
      const c = d.counts.coalesced[op];
      const cli = r.scale.cli;
      return [
        `${opNames[op]} (${n(c.resources)})`,
        n(c.floor),
        cell(b, op),
        cell(c, op),
        `${n(b.requestsPerAssignment, 2)} / ${n(c.requestsPerAssignment, 2)}`,
        `${n(b.lookups)} / ${n(c.lookups)}`,
        timedCell(op),
        "notRun" in cli ? "not run" : `${cell(cli.counts[op], op)}, ${n(cli.wallMs[op] / 1000, 1)} s`,
      ];
    }),
  );
}

/** Requests by endpoint, per operation: per-resource / coalesced. */
export function scaleEndpointTable(r: BenchResults): string {
  const d = r.scale.details.counts;
  const endpoints = [
    ...new Set(SCALE_OPS.flatMap((op) => [...Object.keys(d.perResource[op].byEndpoint), ...Object.keys(d.coalesced[op].byEndpoint)])),
  ].sort();
  return table(
    ["endpoint", ...SCALE_OPS.map((op) => `${op}: per-resource / coalesced`)],
    endpoints.map((e) => [
      `\`${e}\``,
      ...SCALE_OPS.map((op) => `${n(d.perResource[op].byEndpoint[e] ?? 0)} / ${n(d.coalesced[op].byEndpoint[e] ?? 0)}`),
    ]),
  );
}
