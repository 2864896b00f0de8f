import { FaultRegistry } from "./faults";
import type { RouteResult } from "./http-io";
import { IdempotencyCache } from "./idempotency-cache";
import { SlidingWindowLimiter } from "./rate-limiter";
import { RequestLog, type RequestLogBounds } from "./request-log";
import type { SandboxSettings, SettingsPatch } from "./settings";
import { Sleeper } from "./sleeper";
import type { SandboxStore } from "./store";
import type { SandboxState } from "./types";

/** Everything one running sandbox holds, shared by its routes. */
export class SandboxRuntime {
  readonly faults = new FaultRegistry();
  readonly idempotency = new IdempotencyCache<RouteResult>();
  readonly sleeper = new Sleeper();
  readonly log: RequestLog;
  settings: SandboxSettings;
  limiter: SlidingWindowLimiter | undefined;

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
    this.limiter = this.makeLimiter();
  }

  /** Applies a settings change; a new rate limit starts with empty windows. */
  configure(patch: SettingsPatch): SandboxSettings {
    this.settings = {
      rateLimit: patch.rateLimit ?? this.settings.rateLimit,
      latencyMs: patch.latencyMs ?? this.settings.latencyMs,
      strictIdempotency: patch.strictIdempotency ?? this.settings.strictIdempotency,
    };
    if (patch.rateLimit !== undefined) this.limiter = this.makeLimiter();
    return { ...this.settings };
  }

  /**
   * Back to the start: the seed state (persisted), no faults, an empty log, empty rate windows and
   * idempotency cache, and the settings the sandbox started with, so tests cannot leak into each other.
   */
  async reset(): Promise<void> {
    this.faults.clear();
    this.log.clear();
    this.idempotency.clear();
    this.settings = { ...this.initialSettings };
    this.limiter = this.makeLimiter();
    await this.store.replace(this.seed);
  }

  private makeLimiter(): SlidingWindowLimiter | undefined {
    return this.settings.rateLimit === false ? undefined : new SlidingWindowLimiter(this.settings.rateLimit);
  }
}
