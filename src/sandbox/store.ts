import { writeStateAtomically } from "./state-file";
import type { HeldRole, SandboxAccount, SandboxOrganization, SandboxRole, SandboxState, SandboxUser, SandboxWorkspace } from "./types";

/** One account with its records looked up by id; Maps keep the state's order for stable paging. */
export interface AccountIndex {
  account: SandboxAccount;
  users: Map<string, SandboxUser>;
  roles: Map<string, SandboxRole>;
  workspaces: Map<string, SandboxWorkspace>;
  organizations: Map<string, SandboxOrganization>;
}

/** The key of one held role, used to remember when the sandbox saw it granted. */
function holdingKey(accountId: string, userId: string, role: HeldRole): string {
  return JSON.stringify([accountId, userId, role.id, role.workspace ?? "", role.organization ?? ""]);
}

/**
 * The sandbox's state with per-account indexes, and its persistence: every change is written to
 * the state file (when there is one) before the promise resolves, so callers answer only after it.
 */
export class SandboxStore {
  private state: SandboxState;
  private index = new Map<string, AccountIndex>();
  private grantedAt = new Map<string, string>();
  private writes: Promise<void> = Promise.resolve();
  private readonly startedAt = new Date().toISOString();

  constructor(
    state: SandboxState,
    private readonly file?: string,
  ) {
    this.state = state;
    this.rebuildIndex();
  }

  /** A deep copy of the whole state, safe to hand out. */
  snapshot(): SandboxState {
    return structuredClone(this.state);
  }

  /** The account and its lookups, or undefined when the sandbox has no such account. */
  account(id: string): AccountIndex | undefined {
    return this.index.get(id);
  }

  /** Replaces the whole state (already validated) and persists it. */
  /** Whether some account is of integration `slug`. */
  hasIntegration(slug: string): boolean {
    for (const entry of this.index.values()) if (entry.account.integration === slug) return true;
    return false;
  }

  async replace(state: SandboxState): Promise<void> {
    this.state = structuredClone(state);
    this.grantedAt.clear();
    this.rebuildIndex();
    await this.persist();
  }

  /** Sets the roles a user holds and persists; the user object must come from this store. */
  async setRoles(user: SandboxUser, roles: HeldRole[]): Promise<void> {
    const now = new Date().toISOString();
    for (const role of roles) {
      const key = holdingKey(user.accountId, user.id, role);
      if (!this.grantedAt.has(key)) this.grantedAt.set(key, now);
    }
    for (const role of user.roles) {
      if (!roles.some((kept) => sameHolding(kept, role))) this.grantedAt.delete(holdingKey(user.accountId, user.id, role));
    }
    user.roles = roles.map((role) => ({ ...role }));
    await this.persist();
  }

  /** When the sandbox saw this role granted; roles present at start-up report the start time. */
  grantedTime(user: SandboxUser, role: HeldRole): string {
    return this.grantedAt.get(holdingKey(user.accountId, user.id, role)) ?? this.startedAt;
  }

  /** Resolves once every write queued so far has reached the disk (or failed). */
  async flush(): Promise<void> {
    await this.writes.catch(() => undefined);
  }

  private persist(): Promise<void> {
    const file = this.file;
    if (file === undefined) return Promise.resolve();
    // Writes run one at a time, each writing the state as it is then, so the file ends at the latest.
    const write = this.writes.catch(() => undefined).then(() => writeStateAtomically(file, this.state));
    this.writes = write;
    return write.catch((error: unknown) => {
      throw new Error(`Sandbox could not write its state file ${file}: ${(error as Error).message}`, { cause: error });
    });
  }

  private rebuildIndex(): void {
    this.index = new Map();
    for (const account of this.state.accounts) {
      this.index.set(account.id, {
        account,
        users: new Map(),
        roles: new Map(),
        workspaces: new Map(),
        organizations: new Map(),
      });
    }
    const fill = <T extends { accountId: string; id: string }>(records: T[], pick: (a: AccountIndex) => Map<string, T>) => {
      for (const record of records) {
        const entry = this.index.get(record.accountId);
        if (entry) pick(entry).set(record.id, record);
      }
    };
    fill(this.state.users, (entry) => entry.users);
    fill(this.state.roles, (entry) => entry.roles);
    fill(this.state.workspaces, (entry) => entry.workspaces);
    fill(this.state.organizations, (entry) => entry.organizations);
  }
}

/** Whether two held roles are the same grant (same role in the same scope). */
export function sameHolding(a: HeldRole, b: HeldRole): boolean {
  return a.id === b.id && (a.workspace ?? "") === (b.workspace ?? "") && (a.organization ?? "") === (b.organization ?? "");
}
