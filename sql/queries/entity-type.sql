-- name: entity-type
-- description: What kind of entity an id is (global_entity lookup by id alone).
-- checks: global_entity
-- range: none: all partitions. A bare id carries no time, so every partition is visited; each visit is
--   an index lookup on entity_id (the default layout's index: the primary key leads with event_time).
-- params: $1 entity_id uuid
SELECT entity_type, event_time
FROM {{schema}}.global_entity
WHERE entity_id = $1
