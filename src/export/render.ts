/**
 * The files `export` writes: `access.ts` (typed constants and the team map, importable by a Pulumi
 * program), a starting `index.ts` program, or `access.json` with the same data.
 */
import { ACCOUNT_WIDE, resourceName, roleTypeName, rolesConstName, scopesConstName, type AccessMap, type ExportedApp } from "./access-map";

const q = (s: string) => JSON.stringify(s);

/** The access map as plain data, keyed the way the TypeScript module is (app → roles by key, people by key). */
export function accessData(map: AccessMap) {
  return {
    apps: Object.fromEntries(
      map.apps.map((a) => [
        a.key,
        {
          integratedAccountId: a.integratedAccountId,
          integration: a.integration,
          scope: a.scope,
          roles: Object.fromEntries(a.roles.map((r) => [r.key, r.id])),
          roleNames: Object.fromEntries(a.roles.flatMap((r) => (r.name !== undefined ? [[r.id, r.name]] : []))),
          scopes: a.scope === "none" ? { [ACCOUNT_WIDE]: "" } : Object.fromEntries(a.scopes.map((s) => [s.key, s.id])),
          ...(a.scope === "none"
            ? {}
            : { scopeNames: Object.fromEntries(a.scopes.flatMap((s) => (s.name !== undefined ? [[s.id, s.name]] : []))) }),
        },
      ]),
    ),
    people: Object.fromEntries(map.people.map(({ key, ...p }) => [key, p])),
    team: map.team,
  };
}

/** `access.json`. */
export function renderJson(map: AccessMap): string {
  return `${JSON.stringify(accessData(map), null, 2)}\n`;
}

function objectLiteral(entries: readonly (readonly [string, string])[], indent: string): string {
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${indent}  ${k}: ${v},`).join("\n")}\n${indent}}`;
}

function appConstants(app: ExportedApp): string {
  const where = `integrated account ${app.integratedAccountId}`;
  const lines = [
    `/** ${app.displayName} roles (${where}): name → role id. */`,
    `export const ${rolesConstName(app)} = ${objectLiteral(
      app.roles.map((r) => [r.key, q(r.id)]),
      "",
    )} as const;`,
    `/** One ${app.displayName} role id. */`,
    `export type ${roleTypeName(app)} = (typeof ${rolesConstName(app)})[keyof typeof ${rolesConstName(app)}];`,
  ];
  if (app.scope !== "none") {
    lines.push(
      `/** ${app.displayName} ${app.scope}s: name → ${app.scope} id. */`,
      `export const ${scopesConstName(app)} = ${objectLiteral(
        app.scopes.map((s) => [s.key, q(s.id)]),
        "",
      )} as const;`,
    );
  }
  return lines.join("\n");
}

function appEntry(app: ExportedApp): string {
  const roleNames = app.roles.flatMap((r) => (r.name !== undefined ? [[q(r.id), q(r.name)] as const] : []));
  const fields: [string, string][] = [
    ["integratedAccountId", q(app.integratedAccountId)],
    ["integration", q(app.integration)],
    ["scope", q(app.scope)],
    ["scopes", app.scope === "none" ? `{ ${ACCOUNT_WIDE}: "" }` : scopesConstName(app)],
    ["roles", rolesConstName(app)],
    ["roleNames", objectLiteral(roleNames, "    ")],
  ];
  return objectLiteral(fields, "  ");
}

function accessField(app: ExportedApp): string {
  const keys = app.scope === "none" ? q(ACCOUNT_WIDE) : `keyof typeof ${scopesConstName(app)}`;
  return `  readonly ${app.key}?: { readonly [S in ${keys}]?: readonly ${roleTypeName(app)}[] };`;
}

function teamLiteral(map: AccessMap): string {
  const apps = new Map(map.apps.map((a) => [a.key, a]));
  const person = (byApp: Record<string, Record<string, string[]>>) =>
    objectLiteral(
      Object.entries(byApp).map(([appKey, byScope]) => {
        const app = apps.get(appKey)!;
        const roleKey = new Map(app.roles.map((r) => [r.id, r.key]));
        const scopes = Object.entries(byScope).map(
          ([scope, roles]) => [scope, `[${roles.map((id) => `${rolesConstName(app)}.${roleKey.get(id)}`).join(", ")}]`] as const,
        );
        return [appKey, objectLiteral(scopes, "    ")] as const;
      }),
      "  ",
    );
  return objectLiteral(
    Object.entries(map.team).map(([key, byApp]) => [key, person(byApp)]),
    "",
  );
}

function personLiteral(p: AccessMap["people"][number]): string {
  const fields: [string, string][] = [];
  if (p.name !== undefined) fields.push(["name", q(p.name)]);
  if (p.email !== undefined) fields.push(["email", q(p.email)]);
  fields.push([
    "ids",
    objectLiteral(
      Object.entries(p.ids).map(([app, id]) => [app, q(id)]),
      "    ",
    ),
  ]);
  return objectLiteral(fields, "  ");
}

/** `access.ts`: role catalogues, scopes, apps, people, the team map and `assignments()`, all typed. */
export function renderTypeScript(map: AccessMap): string {
  const example = Object.entries(map.team)[0];
  const exampleName = example
    ? resourceName(example[0], Object.keys(example[1])[0]!, Object.keys(Object.values(example[1])[0]!)[0]!)
    : undefined;
  return `/**
 * Access exported from Truto by \`pulumi-truto-access export\`: each app's role catalogue, its workspaces or
 * organizations, the people (matched across apps by email), and \`team\`: who holds which roles, per app and
 * ${"`"}${ACCOUNT_WIDE}${"`"} or workspace or organization. Rerunning the export rewrites this file; edit \`team\` to change access.
 * Roles are written as constants, so a mistyped role is a type error, not a failed \`pulumi up\`.
 */
import type { RoleAssignmentArgs } from "pulumi-truto-access";

${map.apps.map(appConstants).join("\n\n")}

/** The integrated accounts, one per app, and how each scopes its roles. */
export const apps = ${objectLiteral(
    map.apps.map((a) => [a.key, appEntry(a)]),
    "",
  )} as const;

/** An app of {@link apps}. */
export type App = keyof typeof apps;

/** Each app's integrated account id. */
export const accounts = ${objectLiteral(
    map.apps.map((a) => [a.key, q(a.integratedAccountId)]),
    "",
  )} as const;

/** People and their user id in each app. */
export const people = ${objectLiteral(
    map.people.map((p) => [p.key, personLiteral(p)]),
    "",
  )} as const;

/** A person of {@link people}. */
export type Person = keyof typeof people;

/** What one person holds: per app, role ids per workspace or organization (\`${ACCOUNT_WIDE}\` where the app's roles are account-wide). */
export interface Access {
${map.apps.map(accessField).join("\n")}
}

/** Who holds what. */
export type Team = { readonly [P in Person]?: Access };

/** Who holds what, as exported. */
export const team: Team = ${teamLiteral(map)};

/** One RoleAssignment's name and arguments (plain values; add \`onDelete\` and the rest as needed). */
export interface Assignment {
  readonly name: string;
  readonly args: RoleAssignmentArgs;
}

/** One assignment per person, app and scope of \`access\`, named person-app-scope${exampleName ? ` (e.g. \`${exampleName}\`)` : ""}. */
export function assignments(access: Team = team): Assignment[] {
  const out: Assignment[] = [];
  for (const [person, byApp] of Object.entries(access) as [Person, Access | undefined][]) {
    for (const [app, byScope] of Object.entries(byApp ?? {}) as [App, Readonly<Record<string, readonly string[] | undefined>>][]) {
      const a = apps[app];
      const userId = (people[person].ids as Readonly<Partial<Record<App, string>>>)[app];
      if (userId === undefined) throw new Error(\`\${String(person)} has no user id in \${String(app)}: add it to people, or take \${String(app)} out of their team entry.\`);
      const scopeKind: string = a.scope;
      const names = a.roleNames as Readonly<Record<string, string>>;
      for (const [scope, roles] of Object.entries(byScope)) {
        const scopeId = (a.scopes as Readonly<Record<string, string>>)[scope];
        if (!roles || scopeId === undefined) continue;
        out.push({
          name: \`\${String(person)}-\${String(app)}-\${scope}\`,
          args: {
            integratedAccountId: a.integratedAccountId,
            integration: a.integration,
            userId,
            ...(scopeKind === "workspace" ? { workspaceId: scopeId } : {}),
            ...(scopeKind === "organization" ? { organizations: [{ id: scopeId }] } : {}),
            roles: roles.map((id) => (names[id] !== undefined ? { id, name: names[id] } : { id })),
            // The scope field matches the app's integration (apps says which), as RoleAssignmentArgs requires.
          } as RoleAssignmentArgs,
        });
      }
    }
  }
  return out;
}
`;
}

/** A starting `index.ts`: one RoleAssignment per entry of \`assignments()\`, adopting what people already hold. */
export function renderProgram(): string {
  return `/**
 * The access exported into ./access.ts, one RoleAssignment per person, app and workspace or organization.
 * The roles were held before this stack existed: the first \`pulumi up\` adopts them without a change, and
 * onDelete "restore" makes destroying the stack leave them held (it revokes only what the stack granted later).
 */
import { RoleAssignment } from "pulumi-truto-access";
import { assignments } from "./access";

const managed = assignments().map(({ name, args }) => new RoleAssignment(name, { ...args, onDelete: "restore" }));

/** How many RoleAssignments this stack manages. */
export const assignmentCount = managed.length;
`;
}
