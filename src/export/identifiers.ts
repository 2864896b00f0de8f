/**
 * Names for generated code: camelCase identifiers from vendor names ("Channel Manager" → `channelManager`),
 * safe to use as TypeScript property names and unique within their object.
 */

/** `text` as a camelCase ASCII identifier; `fallback` (made safe the same way) when nothing is left of it. */
export function camelIdentifier(text: string, fallback = "item"): string {
  const words = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return fallback === text ? "item" : camelIdentifier(fallback, "item");
  const [first, ...rest] = words as [string, ...string[]];
  // "CRM" reads better as `crm` than `cRM`; "JumpCloud" as `jumpCloud`.
  const head = first === first.toUpperCase() ? first.toLowerCase() : first[0]!.toLowerCase() + first.slice(1);
  const id = head + rest.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** Hands out identifiers unique within one object: the second `channelManager` becomes `channelManager2`. */
export class IdentifierPool {
  private readonly taken = new Set<string>();

  /** A fresh identifier for `text`. */
  take(text: string, fallback?: string): string {
    const base = camelIdentifier(text, fallback);
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base}${n}`;
    this.taken.add(id);
    return id;
  }
}
