/**
 * What a provider method tells the user without failing: a line on the provider host's stderr. A dynamic
 * provider has no engine connection to log through (the host passes no URN and no logger to create, update
 * or delete, and `pulumi.log` needs the engine the program runs under), but the Pulumi CLI shows what the
 * host writes (pulumi/pulumi#18253) next to the step, so this is the operation's log output.
 */
export function notice(message: string): void {
  process.stderr.write(`pulumi-truto-access: ${message.replace(/\s*\n\s*/g, " ")}\n`);
}
