-- name: user-order-history
-- description: Every order of one user over the loaded window, newest first. There is no time filter on
--   purpose: it shows what a missing time predicate costs (every partition is planned and scanned).
-- checks: shop_order
-- range: none: all partitions. No LIMIT either: an ordered Append under a LIMIT may stop before it
--   reaches the older partitions, which would hide the cost this query is here to show.
-- params: $1 user_id uuid
SELECT id, event_time, shop_id, status, item_count, total, currency
FROM {{schema}}.shop_order
WHERE user_id = $1
ORDER BY event_time DESC, id
