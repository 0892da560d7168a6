/**
 * The bench's pgbench scripts of gen live's transactions (bench/live-pgbench.ts): with Variables, a script binds
 * its values instead of writing them as literals. Every value the literal script writes (NULLs and the fresh ids
 * aside) is a `:name` whose -D definition is that value, in the same order; a statement binds at most 255 (pgbench's
 * limit) and writes the rest as literals.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { txnScript, Variables, writeScripts } from '../../bench/live-pgbench.js';
import { type CsvLine, lineValues } from '../../src/generate/csv-rows.js';
import { buildPlan } from '../../src/generate/index.js';
import { hourTransactions, type Txn } from '../../src/generate/transactions.js';
import { columnNames, table } from '../../src/model/tables.js';
import { applyOverrides, loadScenario } from '../../src/scenario/index.js';

const txns = hourTransactions(buildPlan(applyOverrides(loadScenario('tiny'), { hours: 2 })), 1);

/** the values a transaction's statements carry, in the order the script writes them (NULLs and ids aside) */
function carried(t: Txn): string[] {
  const out: string[] = [];
  for (const [name, rows] of t.inserts) {
    const tb = table(name);
    const idAt = columnNames(tb).indexOf(tb.idColumn);
    for (const line of rows)
      lineValues(line).forEach((v, c) => {
        if (c !== idAt && v !== null) out.push(v);
      });
  }
  for (const u of t.updates) {
    for (const v of u.values) if (v !== null) out.push(v);
    out.push(u.ref.eventTime, u.ref.id);
  }
  return out;
}

/** what -D defines: name -> value */
function definitions(vars: Variables): Map<string, string> {
  const args = vars.args();
  const m = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    expect(args[i]).toBe('-D');
    const d = args[i + 1] as string;
    const at = d.indexOf('=');
    m.set(d.slice(0, at), d.slice(at + 1));
  }
  return m;
}

describe('pgbench scripts binding their values (bench/live-pgbench.ts)', () => {
  const both = txns.filter((t) => t.type !== 'metrics' && t.inserts.length > 0 && t.updates.length > 0);

  it('writes each value as a variable defined as that value, in order, and one variable per distinct value', () => {
    expect(both.length).toBeGreaterThan(0);
    const vars = new Variables();
    for (const t of both.slice(0, 20)) {
      const script = txnScript('s', t, vars);
      const defs = definitions(vars);
      const used = [...script.matchAll(/:(v\d+)\b/g)].map((m) => defs.get(m[1] as string));
      expect(used).toEqual(carried(t));
      // nothing of the values is left in the text but NULLs
      expect(script).not.toMatch(/'[^']*'/);
      expect(script).toMatch(/^BEGIN;\n/);
    }
    const defs = definitions(vars);
    expect(new Set(defs.values()).size).toBe(defs.size);
  });

  it('without Variables, the values are literals (the baseline as the goal was set)', () => {
    const t = both[0] as Txn;
    const script = txnScript('s', t);
    expect(script).not.toMatch(/:v\d+/);
    expect(script).toContain(`'${t.updates[0]?.ref.id}'`);
  });

  it('binds at most 255 values in one statement and writes the rest as literals', () => {
    const t = both.find((x) => (x.inserts[0]?.[1].length ?? 0) > 0) as Txn;
    const [name, rows] = t.inserts[0] as [Txn['inserts'][0][0], CsvLine[]];
    const many: Txn = {
      ...t,
      inserts: [[name, Array.from({ length: 60 }, () => rows[0] as CsvLine)]],
      updates: [],
    };
    const vars = new Variables();
    const line = txnScript('s', many, vars).trim();
    expect(line.match(/:v\d+/g)?.length).toBe(255);
    // the values after the 255th are literals
    expect(line.slice(line.lastIndexOf(':v'))).toMatch(/'/);
  });

  it('writeScripts gives -f per script and the -D definitions after them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-live-pgbench-'));
    try {
      const vars = new Variables();
      const args = writeScripts(dir, 's', both.slice(0, 3), vars);
      const files = args.filter((_, i) => args[i - 1] === '-f');
      expect(files).toHaveLength(3);
      expect(args.slice(0, 6).filter((a) => a === '-f')).toHaveLength(3);
      expect(args.slice(6)).toEqual(vars.args());
      expect(readFileSync(files[0] as string, 'utf8')).toBe(txnScript('s', both[0] as Txn, new Variables()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
