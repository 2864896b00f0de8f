/** Plain-text tables with aligned columns, for output people read in a terminal. */

/** Renders `rows` under `headers`, each column padded to its widest cell, every line indented by `indent`. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], indent = "  "): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}
