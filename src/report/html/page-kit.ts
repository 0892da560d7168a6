/** The page's building blocks: tables, headers, PASS/FAIL badges and the big figures at a section's top. */

export function table(head: string, rows: string[], cls = ''): string {
  return `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ''}><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export const th = (cells: string[]): string => `<tr>${cells.map((c) => `<th>${c}</th>`).join('')}</tr>`;
export const td = (cells: string[]): string => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;

export function badge(ok: boolean): string {
  return ok ? '<span class="badge pass">✓ PASS</span>' : '<span class="badge fail">✗ FAIL</span>';
}

export function kpis(items: [string, string][]): string {
  return `<div class="kpis">${items
    .map(
      ([v, label]) =>
        `<div class="kpi"><div class="kpi-value">${v}</div><div class="kpi-label">${label}</div></div>`,
    )
    .join('')}</div>`;
}
