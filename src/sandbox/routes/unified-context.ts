import type { SandboxCall } from "../sandbox-call";
import type { SandboxRuntime } from "../runtime";
import type { AccountIndex } from "../store";
import type { IntegrationRules } from "../truto-rules";
import type { RouteResult } from "../http-io";

/** What a unified handler gets: the call, the runtime, the resolved account and its rules. */
export interface UnifiedContext {
  call: SandboxCall;
  rt: SandboxRuntime;
  account: AccountIndex;
  rules: IntegrationRules;
  /** The path parameter, when the route has one (already percent-decoded). */
  id?: string;
  /** A noop fault: answer as if the change was made, but do not make it. */
  noop: boolean;
}

/** A unified route handler. */
export type UnifiedHandler = (ctx: UnifiedContext) => RouteResult | Promise<RouteResult>;
