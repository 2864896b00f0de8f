import { FaultRegistry } from "./faults";
import type { RouteResult } from "./http-io";
import { IdempotencyCache } from "./idempotency-cache";
import { SlidingWindowLimiter } from "./rate-limiter";
import { RequestLog, type RequestLogBounds } from "./request-log";
import { LIMIT_SETTINGS, type LimitSetting, type SandboxSettings, type SettingsPatch } from "./settings";
import { Sleeper } from "./sleeper";
import type { SandboxStore } from "./store";
import type { MetaOverride, SandboxState } from "./types";

/** Everything one running sandbox holds, shared by its routes. */
export class SandboxRuntime {
  readonly faults = new FaultRegistry();
  readonly idempotency = new IdempotencyCache<RouteResult>();
  readonly sleeper = new Sleeper();
  readonly log: RequestLog;
  /** Meta answers set through PUT /_sandbox/meta/{integration}/{method}, keyed "integration method". */
  readonly metaOverrides = new Map<string, MetaOverride>();
  settings: SandboxSettings;
  /** One limiter per rate-limit setting that is on; a setting that is off has none. */
  limiters: Partial<Record<LimitSetting, SlidingWindowLimiter>> = {};

  constructor(
    readonly token: string,
    readonly store: SandboxStore,
    private readonly seed: SandboxState,
    private readonly initialSettings: SandboxSettings,
    logBounds: RequestLogBounds,
    /** Requests with a larger body get a 413 and are not read further. */
    readonly maxBodyBytes: number,
  ) {
    this.log = new RequestLog(logBounds);
    this.settings = { ...initialSettings };
    for (const name of LIMIT_SETTINGS) this.makeLimiter(name);
  }

  /** Applies a settings change; a rate limit that changes starts with empty windows. */
  configure(patch: SettingsPatch): SandboxSettings {
    const changed = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    this.settings = { ...this.settings, ...changed };
    for (const name of LIMIT_SETTINGS) if (patch[name] !== undefined) this.makeLimiter(name);
    return { ...this.settings };
  }

  /**
   * Back to the start: the seed state (persisted), no faults, an empty log, empty rate windows and
   * idempotency cache, no meta overrides, and the settings the sandbox started with, so tests cannot
   * leak into each other.
   */
  async reset(): Promise<void> {
    this.faults.clear();
    this.log.clear();
    this.idempotency.clear();
    this.metaOverrides.clear();
    this.settings = { ...this.initialSettings };
    for (const name of LIMIT_SETTINGS) this.makeLimiter(name);
    await this.store.replace(this.seed);
  }

  private makeLimiter(name: LimitSetting): void {
    const limit = this.settings[name];
    if (limit === false) delete this.limiters[name];
    else this.limiters[name] = new SlidingWindowLimiter(limit);
  }
}
