-- name: order-detail
-- description: One order with its items and payment attempts, looked up by its primary key (event_time, id).
--   A refund or return (a payment row days later, in its own hour) is not among them.
-- checks: shop_order, shop_order_item, shop_order_payment
-- range: shop_order: the instant event_time = $1. Items and payments: [$1, $3) where $3 is the end of the
--   order's UTC hour, computed by the client: the generator keeps an order's children in its hour, at or
--   after the order. Each table gets its own time predicate in terms of the parameters (not through the
--   join), so that both plan-time and run-time pruning apply to all three.
-- params: $1 event_time timestamptz, $2 id uuid, $3 to timestamptz
SELECT o.id, o.event_time, o.user_id, o.shop_id, o.status, o.item_count, o.total,
       i.items, p.payments
FROM {{schema}}.shop_order o
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('id', i.id, 'product', i.shop_product_id, 'quantity', i.quantity,
                                    'line_total', i.line_total) ORDER BY i.event_time, i.id) AS items
  FROM {{schema}}.shop_order_item i
  WHERE i.shop_order_id = o.id AND i.event_time >= $1 AND i.event_time < $3
) i ON true
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('id', p.id, 'attempt', p.attempt, 'status', p.status,
                                    'amount', p.amount) ORDER BY p.attempt) AS payments
  FROM {{schema}}.shop_order_payment p
  WHERE p.shop_order_id = o.id AND p.event_time >= $1 AND p.event_time < $3
) p ON true
WHERE o.event_time = $1 AND o.id = $2
