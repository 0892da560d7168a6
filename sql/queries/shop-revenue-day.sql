-- name: shop-revenue-day
-- description: A shop's paid orders and revenue per hour over one UTC day (a dashboard chart).
-- checks: shop_order
-- range: [day, day + 24 h), the UTC day of one of the shop's orders, bounds computed by the client.
--   Hours are binned with date_bin from the day start: date_trunc on timestamptz would depend on the
--   session time zone.
-- params: $1 shop_id uuid, $2 from timestamptz, $3 to timestamptz
SELECT date_bin(interval '1 hour', event_time, $2) AS hour,
       count(*) AS orders,
       sum(total) AS revenue
FROM {{schema}}.shop_order
WHERE shop_id = $1 AND status = 'paid'
  AND event_time >= $2 AND event_time < $3
GROUP BY 1
ORDER BY 1
