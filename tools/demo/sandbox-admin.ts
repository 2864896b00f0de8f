/** Reads the sandbox's whole state through its admin API (GET /_sandbox/state), the demo's source of truth. */
import type { SandboxState } from "../../src/sandbox";

/** Where a sandbox listens and the token it wants (never printed). */
export interface SandboxEndpoint {
  url: string;
  token: string;
}

/** The sandbox's state now; throws with the status and message when the admin API refuses. */
export async function readSandboxState(sandbox: SandboxEndpoint): Promise<SandboxState> {
  const response = await fetch(`${sandbox.url}/_sandbox/state`, { headers: { authorization: `Bearer ${sandbox.token}` } });
  if (!response.ok) {
    throw new Error(`GET ${sandbox.url}/_sandbox/state answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  return (await response.json()) as SandboxState;
}
