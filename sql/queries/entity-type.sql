-- name: entity-type
-- description: What kind of entity an id is (global_entity lookup by id alone).
-- checks: global_entity
-- range: none: all partitions. A bare id carries no time, so every partition is visited; the primary
--   key (event_time, entity_id) leads with the time, so each visit is at best an index skip scan.
-- params: $1 entity_id uuid
SELECT entity_type, event_time
FROM {{schema}}.global_entity
WHERE entity_id = $1
