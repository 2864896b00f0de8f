/** Resource URNs, built the way the engine builds them. */

/** `urn:pulumi:<stack>::<project>::<type>::<name>`; the defaults are a RoleAssignment of the test project's dev stack. */
export function urn(
  name: string,
  type = "pulumi-nodejs:dynamic/truto:RoleAssignment",
  stack = "dev",
  project = "truto-access-test",
): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}
