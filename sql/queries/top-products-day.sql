-- name: top-products-day
-- description: The day's best-selling products by revenue, from the daily product metrics.
-- checks: shop_product_metrics_daily
-- range: [day, day + 24 h), a UTC day that has metric rows, bounds computed by the client. Grouped, so
--   that the answer stays right if a layout ever keeps several rows per product and day.
-- params: $1 from timestamptz, $2 to timestamptz, $3 top integer
SELECT shop_product_id, shop_id,
       sum(units_sold) AS units_sold,
       sum(revenue) AS revenue,
       sum(orders_count) AS orders
FROM {{schema}}.shop_product_metrics_daily
WHERE event_time >= $1 AND event_time < $2
GROUP BY shop_product_id, shop_id
ORDER BY revenue DESC, shop_product_id
LIMIT $3
