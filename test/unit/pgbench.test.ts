/** The pgbench scripts' text, without a database: one branch per set, colon-safe literals, refused schema names. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { PGBENCH_MARK, pgbenchRunScript, pgbenchScripts } from '../../src/query/pgbench.js';
import { loadSuite, parseQueryText } from '../../src/query/suite.js';

const entity = loadSuite().find((q) => q.name === 'entity-type');
if (entity === undefined) throw new Error('no entity-type query');
const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];

describe('pgbenchScripts', () => {
  it('writes one \\if branch per parameter set with the values as literals', () => {
    const [s] = pgbenchScripts([{ query: entity, sets: ids.map((entity_id) => ({ entity_id })) }], 'dp', 3);
    expect(s?.file).toBe('entity-type.sql');
    const text = s?.text ?? '';
    expect(text.split('\n')[0]).toContain(PGBENCH_MARK);
    expect(text).toContain('\\set i random(0, 1)\n\\if :i = 0\n');
    expect(text).toContain(`WHERE entity_id = '${ids[0]}'::uuid;\n\\elif :i = 1\n`);
    expect(text).toMatch(/FROM "dp"\.global_entity/);
    expect(text.trimEnd().endsWith('\\endif')).toBe(true);
  });

  it('splits a text value so that no ":name" reaches pgbench, and refuses such a schema', () => {
    const q = {
      ...parseQueryText(
        '/x/t.sql',
        '-- name: t\n-- description: d\n-- checks: c\n-- range: r\n-- params: $1 label text\nSELECT $1',
      ),
      draw: entity.draw,
      reads: entity.reads,
    };
    const [s] = pgbenchScripts([{ query: q, sets: [{ label: "a:b'c" }] }], 'dp', 1);
    expect(s?.text).toContain(`SELECT ('a:' || 'b''c')::text;`);
    expect(() =>
      pgbenchScripts([{ query: entity, sets: [{ entity_id: ids[0] ?? '' }] }], 'my:schema', 1),
    ).toThrow(UserError);
  });

  it('run.sh replays at the given clients, rate and duration, in the scripts order', () => {
    const scripts = pgbenchScripts([{ query: entity, sets: [{ entity_id: ids[0] ?? '' }] }], 'dp', 1);
    const sh = pgbenchRunScript(scripts, { clients: 2, durationS: 20, rate: 140 });
    expect(sh).toContain(
      'exec pgbench -n -M extended -c 2 -j 1 -T 20 -R 140 -l --log-prefix=pgbench_log -f entity-type.sql@1 "$@"',
    );
  });
});
