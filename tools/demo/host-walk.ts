/**
 * The demo without the Pulumi CLI: the program's resources (from a run under mocks) go through the real
 * provider host with the calls the engine makes for `up`, a config change (preview, then `up`) and
 * `destroy`. A fresh host per command, as each `pulumi` command starts its own.
 */
import { destroy, Engine, newStackState, preview, up, type PlannedStep } from "../engine/deployment";
import { startHost } from "../engine/host";
import type { DemoContext } from "./context";

type Op = PlannedStep["op"];
const SYMBOL: Record<Op, string> = { create: "+", update: "~", replace: "+-", delete: "-", "delete-replaced": "-", same: " ", read: ">" };
const VERB: Record<Op, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  "delete-replaced": "deleted (replaced)",
  same: "unchanged",
  read: "read",
};

function stepLine(step: PlannedStep, width: number, verb = VERB[step.op]): string {
  const detail = step.changed.length > 0 ? ` (${step.changed.join(", ")})` : "";
  const order = step.op === "replace" ? (step.deleteBeforeReplace ? ", old deleted first" : ", old deleted last") : "";
  return `    ${SYMBOL[step.op].padEnd(2)} ${step.name.padEnd(width)}  ${verb}${detail}${order}`;
}

/** Starts a provider host for one command, configures it with the stack config, runs `fn` with the engine over it, and stops it. */
async function withHost<T>(ctx: DemoContext, config: Record<string, string>, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const host = await startHost({
    cwd: ctx.projectDir,
    project: ctx.runs.before.project,
    // The token reaches the provider through the environment only, as the README recommends.
    env: { TRUTO_BASE_URL: ctx.sandbox.url, TRUTO_API_TOKEN: ctx.sandbox.token },
  });
  try {
    await host.configure(config);
    return await fn(new Engine(host));
  } catch (error) {
    const log = host.output().trim().split("\n").slice(-15).join("\n");
    if (log && error instanceof Error) error.message += `\nThe provider host printed:\n${log}`;
    throw error;
  } finally {
    await host.kill();
  }
}

/** Runs the demo's three commands through the provider host; throws on the first failed call or check. */
export async function walkWithProviderHost(ctx: DemoContext): Promise<void> {
  const { before, after } = ctx.runs;
  const width = Math.max(...[...before.resources, ...after.resources].map((r) => r.name.length));
  const print = { onStep: (step: PlannedStep) => ctx.say(stepLine(step, width)) };
  const state = newStackState();

  ctx.say(`[1/3] pulumi up: Check and Create for each of ${before.resources.length} resources`);
  await withHost(ctx, {}, (engine) => up(engine, state, before.resources, print));
  await ctx.checkpoint("after up", before, []);

  const config = { [ctx.change.key]: ctx.change.value };
  ctx.say(`[2/3] pulumi config set ${ctx.change.key} ${ctx.change.value} (${ctx.change.what}), then preview and up`);
  await withHost(ctx, config, async (engine) => {
    const planned = (await preview(engine, state, after.resources)).filter((e) => e.op !== "same");
    ctx.say(`  preview (Check and Diff): ${planned.length} to change, ${after.resources.length - planned.length} unchanged`);
    for (const event of planned) ctx.say(stepLine(event, width, `to be ${VERB[event.op]}`));
    ctx.say("  up:");
    await up(engine, state, after.resources, { onStep: (step) => step.op !== "same" && print.onStep(step) });
  });
  await ctx.checkpoint("after the change", after, [before]);

  ctx.say(`[3/3] pulumi destroy: Delete for each of ${state.resources.size} resources, with the code stored in state`);
  await withHost(ctx, config, (engine) => destroy(engine, state, print));
}
