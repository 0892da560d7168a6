/** References and ids: every reference resolves to a row that existed at the time, ids are unique, the registry agrees. */
import { TABLES, type Table, table } from '../../model/tables.js';
import { type CheckDef, exceptBoth, STEP } from '../check.js';
import { everyTable } from './placement.js';

/** The entity_type a row of an entity table carries in global_entity (users -> 'user'). */
const entityType = (t: Table): string => (t.name === 'users' ? 'user' : t.name);

/** One check per reference column of the model, in model order. */
function referenceChecks(): CheckDef[] {
  const out: CheckDef[] = [];
  for (const t of TABLES) {
    for (const c of t.columns) {
      if (c.references === undefined) continue;
      const target = table(c.references);
      // a metric row is about its bucket: what it counts existed before the bucket ended
      const limit =
        t.bucket !== undefined
          ? `x.event_time < r.event_time + ${STEP[t.bucket]}`
          : 'x.event_time <= r.event_time';
      out.push({
        name: `reference:${t.name}.${c.name}`,
        description: `${t.name}.${c.name} names no ${target.name} row existing at the row's time`,
        sql: ({ T }) => `SELECT r.${t.idColumn} AS id, r.event_time, r.${c.name} AS value,
                (SELECT min(x.event_time) FROM ${T(target.name)} x
                 WHERE x.${target.idColumn} = r.${c.name}) AS target_time
         FROM ${T(t.name)} r
         WHERE r.${c.name} IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM ${T(target.name)} x WHERE x.${target.idColumn} = r.${c.name} AND ${limit})`,
        // the rows referring may be a part; what they refer to must all be there
        needsWhole: [target.name],
        // written with the row it names (the model's sameTimeAsTarget): retired up to the same time, the two
        // tables keep or lose such a pair together
        ...(c.sameTimeAsTarget ? { sameTime: [t.name, target.name] } : {}),
      });
    }
  }
  return out;
}

const uniqueIds: CheckDef = {
  name: 'unique-ids',
  description: 'an id repeated within a table',
  sql: ({ T }) =>
    everyTable(
      (t) =>
        `SELECT '${t.name}' AS tbl, ${t.idColumn} AS id, count(*) AS n FROM ${T(t.name)}
         GROUP BY ${t.idColumn} HAVING count(*) > 1`,
    ),
  needsWhole: [],
};

const registry: CheckDef = {
  name: 'registry',
  description: 'global_entity differs from the rows of the entity tables (entity_type, id, event_time)',
  sql: ({ T }) =>
    exceptBoth(
      ['entity_type', 'id', 'event_time'],
      TABLES.filter((t) => t.kind === 'entity')
        .map((t) => `SELECT '${entityType(t)}'::text AS entity_type, id, event_time FROM ${T(t.name)}`)
        .join('\nUNION ALL\n'),
      `SELECT entity_type, entity_id, event_time FROM ${T('global_entity')}`,
    ),
};

export const REFERENCES: CheckDef[] = [...referenceChecks(), uniqueIds, registry];
