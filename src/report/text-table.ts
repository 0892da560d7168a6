/**
 * The one text table of the terminal output (load summary, query report, `gen compare`, `gen bench`): columns
 * padded to their widest cell, two spaces apart, numbers right-aligned so their digits line up.
 */

/**
 * `rows[0]` is the header and sets the number of columns; a short row is padded with empty cells. Trailing
 * blanks are trimmed, so a left-aligned last column leaves no spaces at the ends of lines.
 */
export function textTable(
  rows: readonly (readonly string[])[],
  rightAligned: (column: number) => boolean,
): string {
  const columns = rows[0]?.length ?? 0;
  const widths: number[] = [];
  for (let i = 0; i < columns; i++) widths.push(Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      widths
        .map((w, i) => {
          const cell = r[i] ?? '';
          return rightAligned(i) ? cell.padStart(w) : cell.padEnd(w);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
