/**
 * The demo without the Pulumi CLI: the program's resources (from a run under mocks) go through the real
 * provider host with the calls the engine makes for `up`, a config change (preview, then `up`) and
 * `destroy`. A fresh host per command, as each `pulumi` command starts its own.
 */
import { destroy, preview, up, type StackState, type StepEvent } from "../engine/deployment";
import { startHost, type Host } from "../engine/host";
import type { DemoContext } from "./context";

const SYMBOL: Record<StepEvent["op"], string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };
const VERB: Record<StepEvent["op"], string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted", same: "unchanged" };

function stepLine(event: StepEvent, width: number, verb = VERB[event.op]): string {
  const detail = event.changed.length > 0 ? ` (${event.changed.join(", ")})` : "";
  const order = event.op === "replace" ? (event.deleteBeforeReplace ? ", old deleted first" : ", old deleted last") : "";
  return `    ${SYMBOL[event.op].padEnd(2)} ${event.name.padEnd(width)}  ${verb}${detail}${order}`;
}

/** Starts a provider host for one command, configures it with the stack config, runs `fn`, and stops it. */
async function withHost<T>(ctx: DemoContext, config: Record<string, string>, fn: (host: Host) => Promise<T>): Promise<T> {
  const host = await startHost({
    cwd: ctx.projectDir,
    project: ctx.runs.before.project,
    // The token reaches the provider through the environment only, as the README recommends.
    env: { TRUTO_BASE_URL: ctx.sandbox.url, TRUTO_API_TOKEN: ctx.sandbox.token },
  });
  try {
    await host.configure(config);
    return await fn(host);
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
  const print = (event: StepEvent) => ctx.say(stepLine(event, width));
  const state: StackState = new Map();

  ctx.say(`[1/3] pulumi up: Check and Create for each of ${before.resources.length} resources`);
  await withHost(ctx, {}, (host) => up(host, state, before.resources, print));
  await ctx.checkpoint("after up", before, []);

  const config = { [ctx.change.key]: ctx.change.value };
  ctx.say(`[2/3] pulumi config set ${ctx.change.key} ${ctx.change.value} (${ctx.change.what}), then preview and up`);
  await withHost(ctx, config, async (host) => {
    const planned = (await preview(host, state, after.resources)).filter((e) => e.op !== "same");
    ctx.say(`  preview (Check and Diff): ${planned.length} to change, ${after.resources.length - planned.length} unchanged`);
    for (const event of planned) ctx.say(stepLine(event, width, `to be ${VERB[event.op]}`));
    ctx.say("  up:");
    await up(host, state, after.resources, (event) => event.op !== "same" && print(event));
  });
  await ctx.checkpoint("after the change", after, [before]);

  ctx.say(`[3/3] pulumi destroy: Delete for each of ${state.size} resources, with the code stored in state`);
  await withHost(ctx, config, (host) => destroy(host, state, print));
}
