-- Generated from src/model/tables.ts by `npm run sql`; do not edit by hand.
--
-- Every table is range-partitioned on event_time: hourly partitions for operational tables,
-- daily partitions for metric tables. Partitions (pg_partman 5 naming, <table>_pYYYYMMDD_HH24MISS
-- or <table>_pYYYYMMDD, UTC bounds) are created by `gen` for the whole window before loading.
-- There is no DEFAULT partition: a row outside the window is an error, not a silent catch-all.
--
-- Relationships (columns marked "references") are guaranteed by the generator and checked by
-- test/integration (SQL anti-joins), not by FOREIGN KEY constraints: a foreign key into a
-- partitioned table must reference its whole primary key (event_time, id), which would force
-- every referencing row to carry the referenced row event_time as well.

CREATE SCHEMA IF NOT EXISTS "data_playground";

-- GlobalEntity: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."global_entity" (
  entity_id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  entity_type text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, entity_id)
) PARTITION BY RANGE (event_time);

-- GlobalEvent: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."global_event" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  event_type text NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  user_id uuid, -- references users
  shop_id uuid, -- references shop
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- User: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."users" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  email text NOT NULL,
  username text NOT NULL,
  full_name text NOT NULL,
  status text NOT NULL,
  country_code text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- Shop: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  user_id uuid NOT NULL, -- references users
  name text NOT NULL,
  category text NOT NULL,
  status text NOT NULL,
  address_line text NOT NULL,
  city text NOT NULL,
  postal_code text NOT NULL,
  country_code text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopProduct: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_product" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_id uuid NOT NULL, -- references shop
  sku text NOT NULL,
  name text NOT NULL,
  category text NOT NULL,
  price numeric(12,2) NOT NULL,
  currency text NOT NULL,
  inventory integer NOT NULL,
  status text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopOrder: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_order" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  user_id uuid NOT NULL, -- references users
  shop_id uuid NOT NULL, -- references shop
  shop_promotion_id uuid, -- references shop_promotion
  status text NOT NULL,
  item_count smallint NOT NULL,
  subtotal numeric(12,2) NOT NULL,
  discount numeric(12,2) NOT NULL,
  total numeric(12,2) NOT NULL,
  currency text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopOrderItem: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_order_item" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_order_id uuid NOT NULL, -- references shop_order
  shop_product_id uuid NOT NULL, -- references shop_product
  shop_id uuid NOT NULL, -- references shop
  quantity smallint NOT NULL,
  unit_price numeric(12,2) NOT NULL,
  line_total numeric(12,2) NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopOrderPayment: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_order_payment" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_order_id uuid NOT NULL, -- references shop_order
  user_id uuid NOT NULL, -- references users
  user_payment_method_id uuid NOT NULL, -- references user_payment_method
  attempt smallint NOT NULL,
  amount numeric(12,2) NOT NULL,
  currency text NOT NULL,
  status text NOT NULL,
  failure_reason text,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- Invoice: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."invoice" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_order_id uuid NOT NULL, -- references shop_order
  shop_id uuid NOT NULL, -- references shop
  user_id uuid NOT NULL, -- references users
  invoice_number text NOT NULL,
  amount numeric(12,2) NOT NULL,
  currency text NOT NULL,
  status text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- InvoicePayment: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."invoice_payment" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  invoice_id uuid NOT NULL, -- references invoice
  shop_order_payment_id uuid NOT NULL, -- references shop_order_payment
  user_payment_method_id uuid NOT NULL, -- references user_payment_method
  amount numeric(12,2) NOT NULL,
  currency text NOT NULL,
  status text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- UserPaymentMethod: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."user_payment_method" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  user_id uuid NOT NULL, -- references users
  method_type text NOT NULL,
  provider text NOT NULL,
  last4 text NOT NULL,
  expires_month smallint NOT NULL,
  expires_year smallint NOT NULL,
  is_default boolean NOT NULL,
  status text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopPromotion: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_promotion" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_id uuid NOT NULL, -- references shop
  name text NOT NULL,
  code text NOT NULL,
  discount_percent smallint NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  status text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopReview: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_review" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  user_id uuid NOT NULL, -- references users
  shop_id uuid NOT NULL, -- references shop
  shop_product_id uuid NOT NULL, -- references shop_product
  shop_order_id uuid NOT NULL, -- references shop_order
  rating smallint NOT NULL,
  title text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopInventoryLog: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_inventory_log" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_product_id uuid NOT NULL, -- references shop_product
  shop_id uuid NOT NULL, -- references shop
  shop_order_id uuid, -- references shop_order
  change_type text NOT NULL,
  quantity_change integer NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- RequestResponseLog: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."request_response_log" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  user_id uuid, -- references users
  shop_id uuid, -- references shop
  shop_order_id uuid, -- references shop_order
  method text NOT NULL,
  path text NOT NULL,
  status_code smallint NOT NULL,
  latency_ms integer NOT NULL,
  response_bytes integer NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- UserMetricsHourly: daily partitions
CREATE TABLE IF NOT EXISTS "data_playground"."user_metrics_hourly" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  user_id uuid NOT NULL, -- references users
  orders_count integer NOT NULL DEFAULT 0,
  orders_value numeric(12,2) NOT NULL DEFAULT 0,
  payments_succeeded integer NOT NULL DEFAULT 0,
  payments_failed integer NOT NULL DEFAULT 0,
  reviews_count integer NOT NULL DEFAULT 0,
  promotions_used integer NOT NULL DEFAULT 0,
  carts_abandoned integer NOT NULL DEFAULT 0,
  api_requests integer NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- UserMetricsDaily: daily partitions
CREATE TABLE IF NOT EXISTS "data_playground"."user_metrics_daily" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  user_id uuid NOT NULL, -- references users
  orders_count integer NOT NULL DEFAULT 0,
  orders_value numeric(12,2) NOT NULL DEFAULT 0,
  payments_succeeded integer NOT NULL DEFAULT 0,
  payments_failed integer NOT NULL DEFAULT 0,
  reviews_count integer NOT NULL DEFAULT 0,
  promotions_used integer NOT NULL DEFAULT 0,
  carts_abandoned integer NOT NULL DEFAULT 0,
  api_requests integer NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopMetricsHourly: daily partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_metrics_hourly" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_id uuid NOT NULL, -- references shop
  orders_count integer NOT NULL DEFAULT 0,
  revenue numeric(12,2) NOT NULL DEFAULT 0,
  customers_count integer NOT NULL DEFAULT 0,
  units_sold integer NOT NULL DEFAULT 0,
  products_sold integer NOT NULL DEFAULT 0,
  reviews_count integer NOT NULL DEFAULT 0,
  rating_sum integer NOT NULL DEFAULT 0,
  promotion_orders integer NOT NULL DEFAULT 0,
  discount_total numeric(12,2) NOT NULL DEFAULT 0,
  carts_abandoned integer NOT NULL DEFAULT 0,
  payments_failed integer NOT NULL DEFAULT 0,
  inventory_value_change numeric(12,2) NOT NULL DEFAULT 0,
  page_views bigint NOT NULL DEFAULT 0,
  cart_adds bigint NOT NULL DEFAULT 0,
  api_requests integer NOT NULL DEFAULT 0,
  api_errors integer NOT NULL DEFAULT 0,
  api_latency_ms_sum bigint NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopMetricsDaily: daily partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_metrics_daily" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_id uuid NOT NULL, -- references shop
  orders_count integer NOT NULL DEFAULT 0,
  revenue numeric(12,2) NOT NULL DEFAULT 0,
  customers_count integer NOT NULL DEFAULT 0,
  units_sold integer NOT NULL DEFAULT 0,
  products_sold integer NOT NULL DEFAULT 0,
  reviews_count integer NOT NULL DEFAULT 0,
  rating_sum integer NOT NULL DEFAULT 0,
  promotion_orders integer NOT NULL DEFAULT 0,
  discount_total numeric(12,2) NOT NULL DEFAULT 0,
  carts_abandoned integer NOT NULL DEFAULT 0,
  payments_failed integer NOT NULL DEFAULT 0,
  inventory_value_change numeric(12,2) NOT NULL DEFAULT 0,
  page_views bigint NOT NULL DEFAULT 0,
  cart_adds bigint NOT NULL DEFAULT 0,
  api_requests integer NOT NULL DEFAULT 0,
  api_errors integer NOT NULL DEFAULT 0,
  api_latency_ms_sum bigint NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopProductMetricsHourly: daily partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_product_metrics_hourly" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_product_id uuid NOT NULL, -- references shop_product
  shop_id uuid NOT NULL, -- references shop
  units_sold integer NOT NULL DEFAULT 0,
  revenue numeric(12,2) NOT NULL DEFAULT 0,
  orders_count integer NOT NULL DEFAULT 0,
  cart_adds bigint NOT NULL DEFAULT 0,
  page_views bigint NOT NULL DEFAULT 0,
  reviews_count integer NOT NULL DEFAULT 0,
  rating_sum integer NOT NULL DEFAULT 0,
  promotion_units integer NOT NULL DEFAULT 0,
  inventory_change integer NOT NULL DEFAULT 0,
  unit_price numeric(12,2) NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- ShopProductMetricsDaily: daily partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_product_metrics_daily" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_product_id uuid NOT NULL, -- references shop_product
  shop_id uuid NOT NULL, -- references shop
  units_sold integer NOT NULL DEFAULT 0,
  revenue numeric(12,2) NOT NULL DEFAULT 0,
  orders_count integer NOT NULL DEFAULT 0,
  cart_adds bigint NOT NULL DEFAULT 0,
  page_views bigint NOT NULL DEFAULT 0,
  reviews_count integer NOT NULL DEFAULT 0,
  rating_sum integer NOT NULL DEFAULT 0,
  promotion_units integer NOT NULL DEFAULT 0,
  inventory_change integer NOT NULL DEFAULT 0,
  unit_price numeric(12,2) NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);
