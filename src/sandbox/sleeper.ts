/**
 * Timers the server can cancel all at once, so closing the sandbox never waits for an injected
 * delay or latency to run out and never leaves a timer keeping the process alive.
 */
export class Sleeper {
  private readonly pending = new Set<() => void>();
  private closed = false;

  /** Waits `ms`; resolves true when the time passed, false when the sleeper was closed first. */
  sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const cancel = () => {
        clearTimeout(timer);
        this.pending.delete(cancel);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.pending.delete(cancel);
        resolve(true);
      }, ms);
      this.pending.add(cancel);
    });
  }

  /** Cancels every pending sleep and every future one. */
  close(): void {
    this.closed = true;
    for (const cancel of [...this.pending]) cancel();
  }
}
