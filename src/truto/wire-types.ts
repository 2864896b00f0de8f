/**
 * The shapes of the Truto responses this package reads, after validation (wire.ts holds the zod schemas and
 * checks at compile time that they produce exactly these). Free of zod on purpose: public declarations
 * import these, and zod's own declaration files do not compile in a project without `esModuleInterop`.
 */

/**
 * What a response validator must offer `TrutoClient.call`: any zod schema does. Declared here, without zod's
 * types, so the package's public declarations never import zod (whose declaration files do not compile in a
 * project without `esModuleInterop`, such as the one `pulumi new typescript` makes).
 */
export interface ResponseSchema<T> {
  safeParse(
    data: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** A role as the unified user object carries it, after validation. */
export interface WireRoleT {
  id: string;
  name: string | undefined;
  group: string | undefined;
  organization: string | undefined;
  workspace: string | undefined;
  [field: string]: unknown;
}

/** The unified user object, after validation (only the fields this package reads are typed). */
export interface WireUserT {
  id: string;
  name: string | undefined;
  first_name: string | undefined;
  last_name: string | undefined;
  username: string | undefined;
  status: string | undefined;
  emails: { email?: string | null; is_primary?: boolean | null; [field: string]: unknown }[];
  roles: WireRoleT[];
  [field: string]: unknown;
}

/** A unified role-assignment record, after validation. */
export interface WireRoleAssignmentT {
  id?: string | null;
  user_id: string;
  role_id: string;
  group_id?: string | null;
  workspace?: string[] | string | null;
  [field: string]: unknown;
}
