/** `pulumi-truto-access demo` (placeholder until the demo lands). */
export async function demoCommand(_args: string[]): Promise<number> {
  process.stderr.write("The demo is not built yet.\n");
  return 1;
}
