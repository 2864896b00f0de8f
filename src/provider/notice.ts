/**
 * What a provider method tells the user without failing: a line on the provider host's stderr. A dynamic
 * provider has no engine connection to log through (the host passes no URN and no logger to create, update
 * or delete, and `pulumi.log` needs the engine the program runs under), but the Pulumi CLI shows what the
 * host writes (pulumi/pulumi#18253) next to the step, so this is the operation's log output.
 */
export function notice(message: string): void {
  process.stderr.write(`pulumi-truto-access: ${message.replace(/\s*\n\s*/g, " ")}\n`);
}

/** A notice only for those who asked for detail (`TRUTO_DEBUG=1`), each distinct message once per process. */
export function debugNotice(message: string): void {
  if (!/^(1|true|yes)$/i.test(process.env.TRUTO_DEBUG ?? "") || saidOnce.has(message)) return;
  saidOnce.add(message);
  notice(message);
}
const saidOnce = new Set<string>();
