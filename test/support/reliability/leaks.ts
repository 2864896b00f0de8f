/**
 * Watches everything that crosses the provider host's boundary (inputs, `__provider`, outputs, error
 * messages, partial-failure properties, the host's own output) for a secret, and remembers where it
 * showed up. It stores labels only, never the text, so a leak is not copied into the test report.
 */

/** A watch for a set of secrets. */
export class LeakWatch {
  private readonly found: string[] = [];
  private scanned = 0;

  /** `secrets` shorter than 8 characters are refused: they would match by accident. */
  constructor(private readonly secrets: readonly string[]) {
    if (secrets.some((s) => s.length < 8)) throw new Error("LeakWatch: secrets must be at least 8 characters long to be searched for.");
  }

  /** Looks for every secret in `value` (strings as they are, anything else as JSON) and notes `label` on a hit. */
  scan(label: string, value: unknown): void {
    this.scanned += 1;
    const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
    if (this.secrets.some((s) => text.includes(s))) this.found.push(label);
  }

  /** Where a secret was seen (empty when nowhere). */
  get leaks(): readonly string[] {
    return this.found;
  }

  /** How many values were scanned, so a test can show the watch really looked. */
  get count(): number {
    return this.scanned;
  }
}
