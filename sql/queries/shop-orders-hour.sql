-- name: shop-orders-hour
-- description: One hour of one shop's orders, oldest first (a shop's live order list).
-- checks: shop_order
-- range: [hour, hour + 1 h), the UTC hour of one of the shop's orders. Both bounds are computed by the
--   client and sent as values: `$2 + interval '1 hour'` would not be a plan-time constant and would
--   only get run-time pruning.
-- params: $1 shop_id uuid, $2 from timestamptz, $3 to timestamptz
SELECT id, event_time, user_id, status, item_count, total, currency
FROM {{schema}}.shop_order
WHERE shop_id = $1
  AND event_time >= $2 AND event_time < $3
ORDER BY event_time, id
