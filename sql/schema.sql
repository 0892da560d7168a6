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
  entity_type text NOT NULL CHECK (entity_type IN ('user', 'user_payment_method', 'shop', 'shop_product', 'shop_promotion', 'shop_order', 'shop_order_item', 'shop_order_payment', 'invoice', 'invoice_payment', 'shop_review')),
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, entity_id)
) PARTITION BY RANGE (event_time);
COMMENT ON TABLE "data_playground"."global_entity" IS 'Registry of every entity (GlobalEntity): a row per user, payment method, shop, product, promotion, order, order item, payment attempt, invoice, invoice payment and review, so that a bare id resolves to its type and to its row (same id and event_time). Logs, events and metrics are not entities.';
COMMENT ON COLUMN "data_playground"."global_entity"."entity_id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."global_entity"."event_time" IS 'The event_time of the entity''s row (with entity_id, its primary key). The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."global_entity"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."global_entity"."entity_type" IS 'What the entity is: the name of its table (users: user), one of a CHECK-ed list.';
COMMENT ON COLUMN "data_playground"."global_entity"."created_time" IS 'The entity row''s created_time.';
COMMENT ON COLUMN "data_playground"."global_entity"."updated_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."global_entity"."extra_data" IS 'Free-form attributes (jsonb): source (the service that owns the entity: accounts-service, checkout-service, ...), schema_version.';

-- GlobalEvent: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."global_event" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  event_type text NOT NULL,
  entity_type text NOT NULL CHECK (entity_type IN ('user', 'user_payment_method', 'shop', 'shop_product', 'shop_promotion', 'shop_order', 'shop_order_item', 'shop_order_payment', 'invoice', 'invoice_payment', 'shop_review')),
  entity_id uuid NOT NULL,
  user_id uuid, -- references users
  shop_id uuid, -- references shop
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);
COMMENT ON TABLE "data_playground"."global_event" IS 'Business events (GlobalEvent), one row each: user_signed_up, shop_opened, product_listed, promotion_scheduled (for entities created in the window, not the population before it), order_placed or cart_abandoned per order, payment_succeeded or payment_failed per payment attempt, invoice_issued, review_posted; and the state changes inside the window of any entity: user_deactivated, user_banned, shop_paused, shop_resumed, product_activated, product_archived, promotion_started (at starts_at), promotion_ended (at ends_at), payment_method_expired (end of its expiry month), price_changed.';
COMMENT ON COLUMN "data_playground"."global_event"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."global_event"."event_time" IS 'When it happened: the event_time of its entity''s row for creations, the time of the change for state and price changes (after the entity row). The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."global_event"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."global_event"."event_type" IS 'What happened (see the table comment).';
COMMENT ON COLUMN "data_playground"."global_event"."entity_type" IS 'What the entity is: the name of its table (users: user), one of a CHECK-ed list.';
COMMENT ON COLUMN "data_playground"."global_event"."entity_id" IS 'The entity the event is about (its global_entity.entity_id).';
COMMENT ON COLUMN "data_playground"."global_event"."user_id" IS 'The user who acted or is concerned (new user, shop owner, buyer, reviewer, the user of a changed user or payment method, the owner of a paused or resumed shop); NULL for the events of products and promotions.';
COMMENT ON COLUMN "data_playground"."global_event"."shop_id" IS 'The shop concerned; NULL for the events of users and payment methods.';
COMMENT ON COLUMN "data_playground"."global_event"."created_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."global_event"."updated_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."global_event"."extra_data" IS 'Free-form attributes (jsonb): source service, actor (user, shop_owner, shop_staff, system, ...), client of user actions (web, ios-app, android-app: the channel of that user''s sessions, as their requests and orders show), schema_version. price_changed rows carry instead {"currency", "new_price", "old_price"} (prices as text, in the product''s currency).';

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
COMMENT ON TABLE "data_playground"."users" IS 'Users (User): buyers, reviewers and shop owners. The population that existed before the window (event_time = window start) and the signups in it.';
COMMENT ON COLUMN "data_playground"."users"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."users"."event_time" IS 'When the user appeared in the window, or the window start for those that existed before it (a snapshot). The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."users"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."users"."email" IS 'Unique: first.last<user number>@<domain>, from full_name (letters only, lower case); the domain by the user''s country: gmail.com first, then the country''s own webmail and ISPs, a tail of other domains.';
COMMENT ON COLUMN "data_playground"."users"."username" IS 'Unique: from full_name as first.last, firstlast, f_last, first_last, lastfirst, first or firstl (keyed), followed by the user number.';
COMMENT ON COLUMN "data_playground"."users"."full_name" IS 'First and last name (faker pools of the seed).';
COMMENT ON COLUMN "data_playground"."users"."status" IS 'At the window end: active; inactive after created_time + a keyed exponential wait (scenario user_churn_rate per 30 days) or banned (user_ban_rate), whichever first; a shop owner stays active. Only active users order.';
COMMENT ON COLUMN "data_playground"."users"."country_code" IS 'ISO 3166-1 alpha-2: US 28%, GB and DE 9%, JP 8%, FR and CA 6%, BR, MX, AU, ES, IT, NL, SE 5% each (exactly so in each block of 64 users by index).';
COMMENT ON COLUMN "data_playground"."users"."created_time" IS 'Signup time: event_time for arrivals in the window; up to 730 days before the window start for the others.';
COMMENT ON COLUMN "data_playground"."users"."updated_time" IS 'When it entered its status: created_time while active; the time it turned inactive or banned (for the population before the window possibly before event_time: its history).';
COMMENT ON COLUMN "data_playground"."users"."extra_data" IS 'Free-form attributes (jsonb): locale (from country_code), time_zone (IANA name, one of the country''s: the hours the user shops in follow it), signup_channel (web, ios, android, referral, google_oauth), marketing_opt_in (true: gets the newsletter and its promotions).';

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
COMMENT ON TABLE "data_playground"."shop" IS 'Shops (Shop), each owned by a user. The shops that existed before the window (event_time = window start) and those opened in it.';
COMMENT ON COLUMN "data_playground"."shop"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop"."event_time" IS 'When the shop appeared in the window, or the window start for those that existed before it (a snapshot). The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop"."user_id" IS 'The owner: a user that existed when the shop opened.';
COMMENT ON COLUMN "data_playground"."shop"."name" IS 'A name fitting its category: <Last name>''s <Bookshop, Apparel, ...>, <Last> & <Last> ..., The <Adjective> ..., <City> ..., or a company name.';
COMMENT ON COLUMN "data_playground"."shop"."category" IS 'Department (faker''s commerce departments, weighted: Clothing and Home most common).';
COMMENT ON COLUMN "data_playground"."shop"."status" IS 'At the window end: active or paused. Pauses come after keyed exponential waits (scenario shop_pause_rate per 30 days) and last shop_pause_days (at most 3 in a life); the first shop, the platform flagship, never pauses. A paused shop sells nothing.';
COMMENT ON COLUMN "data_playground"."shop"."address_line" IS 'Street address (faker pool; not tied to city or country).';
COMMENT ON COLUMN "data_playground"."shop"."city" IS 'City (faker pool; not tied to country_code).';
COMMENT ON COLUMN "data_playground"."shop"."postal_code" IS 'Five digits (faker pool; not tied to city).';
COMMENT ON COLUMN "data_playground"."shop"."country_code" IS 'ISO 3166-1 alpha-2: its owner''s country_code; it decides the shop''s currency (README Money).';
COMMENT ON COLUMN "data_playground"."shop"."created_time" IS 'When the shop opened: event_time for arrivals in the window; up to 365 days before the window start for the others. Never before its owner signed up.';
COMMENT ON COLUMN "data_playground"."shop"."updated_time" IS 'When it entered its status: created_time, or its last pause or resumption (possibly before event_time for the shops that existed before the window).';
COMMENT ON COLUMN "data_playground"."shop"."extra_data" IS 'Free-form attributes (jsonb): tier (basic, plus, pro, enterprise), payment_gateway (its payments and settlements name it), ships_international, return_policy_days, tax_region (US state or Canadian province: the sales tax its sales at home add and their invoices name).';

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
COMMENT ON TABLE "data_playground"."shop_product" IS 'Products of shops (ShopProduct). Those that existed before the window (event_time = window start) and those listed in it.';
COMMENT ON COLUMN "data_playground"."shop_product"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_product"."event_time" IS 'When the product appeared in the window, or the window start for those that existed before it (a snapshot). The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_product"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_product"."shop_id" IS 'The shop that sells it.';
COMMENT ON COLUMN "data_playground"."shop_product"."sku" IS 'Unique: SKU-<shop number>-<product number>.';
COMMENT ON COLUMN "data_playground"."shop_product"."name" IS 'A name made of its category''s words: [adjective or brand] + material/feature + noun (''Kessler Merino Wool Sweater''); a title + format for Books, Movies, Music, Games. One of 256 per category; a shop''s products have distinct names (up to 256 products).';
COMMENT ON COLUMN "data_playground"."shop_product"."category" IS 'Department: the shop''s category for 85% of products, another department for the rest.';
COMMENT ON COLUMN "data_playground"."shop_product"."price" IS 'List price at the window end, in currency: a USD price in its noun''s usual range (a monitor is not a mug; one per product name, each shop within 0.67x-1.49x of it, less in narrow ranges; cut to scenario price_cents) at the fixed rate, on a price point (x.99; whole hundreds of yen, written .00), moved by keyed repricings (scenario repricing_rate, repricing_percent; each a price_changed event) until archived.';
COMMENT ON COLUMN "data_playground"."shop_product"."currency" IS 'ISO 4217 code of the shop''s currency (from the shop''s country_code).';
COMMENT ON COLUMN "data_playground"."shop_product"."inventory" IS 'Stock at the window end: the listing stock (scenario initial_stock as a floor, scaled by the product''s expected demand when it is restocked) moved by the window''s sales, restocks and returns; never negative.';
COMMENT ON COLUMN "data_playground"."shop_product"."status" IS 'At the window end: draft (listed in the window, for scenario product_draft_hours), active, or archived (after a keyed exponential wait, product_archive_rate per 30 days from its activation or from the window start). Only active products are viewed and sold.';
COMMENT ON COLUMN "data_playground"."shop_product"."created_time" IS 'When the product was listed: event_time for arrivals in the window; up to 365 days before the window start for the others. Never before its shop opened.';
COMMENT ON COLUMN "data_playground"."shop_product"."updated_time" IS 'When it entered its status: created_time (draft, or active for the products before the window), its activation or its archiving. Price changes are global_event price_changed rows.';
COMMENT ON COLUMN "data_playground"."shop_product"."extra_data" IS 'Free-form attributes (jsonb) by category: material or feature (the word of the name), format (titles), colours, sizes (clothing, shoes), weight_g, returnable.';

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
COMMENT ON TABLE "data_playground"."shop_order" IS 'Orders (ShopOrder): the checkout of a browsing session (request_response_log) by a signed-in user at one shop. status, as of the window end: paid; payment_failed (every attempt failed); abandoned (no payment attempt: the buyer left, or an item was out of stock, extra_data reason out_of_stock); refunded or returned (paid, then refunded or returned scenario refund_delay_hours later, when that is before the window end).';
COMMENT ON COLUMN "data_playground"."shop_order"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_order"."event_time" IS 'When the order was placed: the hour''s orders fall as a Poisson process''s given their count (minutes vary), denser towards the neighbouring hour of higher rhythm; index order is time order. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_order"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_order"."user_id" IS 'The buyer: a user existing and active at event_time, of the shop''s country_code when the shop does not ship abroad (shop extra_data ships_international false) and for scenario domestic_order_share of the others'' orders, else of any country; never the shop''s owner; scenario repeat_customer_share of the orders come from the regulars (every 20th user), the others from anyone: most buyers order once or twice.';
COMMENT ON COLUMN "data_playground"."shop_order"."shop_id" IS 'The shop, by popularity (scenario shop_popularity_skew), active (not paused) at event_time.';
COMMENT ON COLUMN "data_playground"."shop_order"."shop_promotion_id" IS 'A promotion of the shop running at event_time whose extra_data min_basket the order''s subtotal reaches, or NULL.';
COMMENT ON COLUMN "data_playground"."shop_order"."status" IS 'paid, payment_failed, abandoned, refunded or returned (see the table comment).';
COMMENT ON COLUMN "data_playground"."shop_order"."item_count" IS 'Number of its shop_order_item rows (distinct products).';
COMMENT ON COLUMN "data_playground"."shop_order"."subtotal" IS 'Sum of its items line_total.';
COMMENT ON COLUMN "data_playground"."shop_order"."discount" IS 'Sum of its items discount.';
COMMENT ON COLUMN "data_playground"."shop_order"."total" IS 'subtotal - discount, plus on a sale inside the US or Canada the sales tax of the shop''s tax_region (shop.extra_data; prices there are without it), to the cent, half up: what the buyer pays.';
COMMENT ON COLUMN "data_playground"."shop_order"."currency" IS 'The shop''s currency (its country''s, src/model/currencies.ts): the amounts of the order, its items, payments and invoice are all in it.';
COMMENT ON COLUMN "data_playground"."shop_order"."created_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."shop_order"."updated_time" IS 'When it reached its status: its last payment attempt; its refund or return (that refund payment row) when refunded or returned; event_time when abandoned.';
COMMENT ON COLUMN "data_playground"."shop_order"."extra_data" IS 'Free-form attributes (jsonb): channel (web, ios-app, android-app) and device of the buying session''s client, utm_source/utm_medium/utm_campaign from its referrer and campaign (the newsletter''s and the stories'' campaign is the scenario event running in the order''s hour, weekly-newsletter and new-arrivals outside events; null for direct traffic; the same session in request_response_log extra_data), coupon_code (= the promotion''s code) when a promotion applied, reason out_of_stock for a cart that could not convert.';

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
  discount numeric(12,2) NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);
COMMENT ON TABLE "data_playground"."shop_order_item" IS 'Lines of orders (ShopOrderItem): one per distinct product of an order (scenario items_per_order, at most 20).';
COMMENT ON COLUMN "data_playground"."shop_order_item"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."event_time" IS 'The order''s event_time. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_order_item"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_order_item"."shop_order_id" IS 'The order.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."shop_product_id" IS 'A product of the order''s shop, active at the order''s time, by popularity.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."shop_id" IS 'The order''s shop.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."quantity" IS 'Units.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."unit_price" IS 'The product''s price at the order''s time (prices change: repricing, deals), in the shop''s currency.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."line_total" IS 'quantity * unit_price, before the discount.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."discount" IS 'The line''s share of the order''s promotion: round(line_total * discount_percent / 100); 0 without one.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."created_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."updated_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."shop_order_item"."extra_data" IS 'Free-form attributes (jsonb): the variant bought (size, colour: among the product''s own), gift_wrap sometimes; ''{}'' for products without variants.';

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
COMMENT ON TABLE "data_playground"."shop_order_payment" IS 'Payment attempts of orders (ShopOrderPayment): none for an abandoned cart; after a failed attempt 60% of buyers try again (up to scenario payment_max_retries), on another method when they have one that has not expired, never on the same expired card; the last attempt of a paid order succeeded. A refund or return adds one row, status refunded, minus the total, at the refund''s time (so in that hour''s partition).';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."event_time" IS 'When the attempt was made: 2 to 62 s after the order, a retry 2 to 182 s after the previous attempt, within the order''s hour (where less is left of it, at a point of what is left); a refund: when it was made. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."shop_order_id" IS 'The order.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."user_id" IS 'The buyer.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."user_payment_method_id" IS 'The buyer''s default method first; a retry switches to another of the buyer''s methods that has not expired; a refund goes back to the method of the successful attempt.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."attempt" IS '1, 2, ... within the order; a refund takes the next number.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."amount" IS 'The order''s total; minus the total for a refund.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."currency" IS 'The order''s currency.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."status" IS 'succeeded, failed or refunded.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."failure_reason" IS 'When failed: expired_card exactly when the method had expired at the attempt (its expiry month had ended), otherwise card_declined, insufficient_funds, do_not_honor, processing_error, incorrect_cvc or suspected_fraud (keyed; generic declines most common); NULL otherwise.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."created_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."updated_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."shop_order_payment"."extra_data" IS 'Free-form attributes (jsonb): gateway (the shop''s), response_code (ISO 8583: 00 approved, 51 insufficient funds, 54 expired card, 05, 96, ... by failure_reason), three_ds, risk_level; refunds and returns: their reason.';

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
COMMENT ON TABLE "data_playground"."invoice" IS 'Invoices (Invoice): one per paid order, from the shop to the buyer.';
COMMENT ON COLUMN "data_playground"."invoice"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."invoice"."event_time" IS '1 s after the order''s successful payment, within the order''s hour (where less is left of it, at a point of what is left). The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."invoice"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."invoice"."shop_order_id" IS 'The paid order.';
COMMENT ON COLUMN "data_playground"."invoice"."shop_id" IS 'The order''s shop.';
COMMENT ON COLUMN "data_playground"."invoice"."user_id" IS 'The buyer.';
COMMENT ON COLUMN "data_playground"."invoice"."invoice_number" IS 'Unique: INV-<window hour, 5 digits>-<order number in the hour>.';
COMMENT ON COLUMN "data_playground"."invoice"."amount" IS 'The order''s total.';
COMMENT ON COLUMN "data_playground"."invoice"."currency" IS 'The order''s currency.';
COMMENT ON COLUMN "data_playground"."invoice"."status" IS 'paid, or refunded when the order was refunded or returned (see updated_time).';
COMMENT ON COLUMN "data_playground"."invoice"."created_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."invoice"."updated_time" IS 'event_time; the refund''s time when the order was refunded or returned before the window end.';
COMMENT ON COLUMN "data_playground"."invoice"."extra_data" IS 'Free-form attributes (jsonb): tax_scheme (domestic: a sale at home; oss: from one EU country to a consumer of another; export: any other sale abroad, zero-rated), tax_country (the shop''s; the buyer''s for oss), tax_region (US state, Canadian province, domestic only), tax_rate (standard VAT/GST or sales tax, percent), tax_included (false: the order''s total adds the tax to the prices), payment_terms (due_on_receipt: paid at checkout), due_days.';

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
COMMENT ON TABLE "data_playground"."invoice_payment" IS 'Payments of invoices (InvoicePayment): one per invoice, the order''s successful payment attempt.';
COMMENT ON COLUMN "data_playground"."invoice_payment"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."invoice_payment"."event_time" IS 'The invoice''s event_time. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."invoice_payment"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."invoice_payment"."invoice_id" IS 'The invoice.';
COMMENT ON COLUMN "data_playground"."invoice_payment"."shop_order_payment_id" IS 'The successful attempt.';
COMMENT ON COLUMN "data_playground"."invoice_payment"."user_payment_method_id" IS 'The method of that attempt.';
COMMENT ON COLUMN "data_playground"."invoice_payment"."amount" IS 'The invoice''s amount.';
COMMENT ON COLUMN "data_playground"."invoice_payment"."currency" IS 'The invoice''s currency.';
COMMENT ON COLUMN "data_playground"."invoice_payment"."status" IS '''succeeded'': the successful attempt (a refund is a shop_order_payment row).';
COMMENT ON COLUMN "data_playground"."invoice_payment"."created_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."invoice_payment"."updated_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."invoice_payment"."extra_data" IS 'Free-form attributes (jsonb): gateway (the shop''s), settlement_batch (<next day YYYYMMDD>-<batch>).';

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
COMMENT ON TABLE "data_playground"."user_payment_method" IS 'Stored payment methods of users (UserPaymentMethod): cards and wallets, created with their user (scenario payment_methods_per_user).';
COMMENT ON COLUMN "data_playground"."user_payment_method"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."event_time" IS 'Its user''s event_time. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."user_payment_method"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."user_payment_method"."user_id" IS 'The owner.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."method_type" IS 'card (3 in 4) or wallet.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."provider" IS 'By the country it is issued and billed in (extra_data billing_country: the user''s, 1 in 20 another), in its usual shares: cards visa, mastercard, amex, discover (US), jcb (JP); wallets paypal, apple_pay, google_pay.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."last4" IS 'Four digits.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."expires_month" IS '1 to 12.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."expires_year" IS 'The expiry month is keyed from 3 months before the window start month to 5 years after it, never before the month after its creation.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."is_default" IS 'True for the user''s first method.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."status" IS '''expired'' once its expiry month ended before the window end, else ''active''. A payment on an expired method fails with expired_card.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."created_time" IS 'Its user''s created_time.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."updated_time" IS 'created_time while active; the end of its expiry month once expired.';
COMMENT ON COLUMN "data_playground"."user_payment_method"."extra_data" IS 'Free-form attributes (jsonb): billing_country (mostly the user''s), cards: funding (credit, debit, prepaid), issuer_country; wallets: tokenized, card_network (the billing country''s networks in their shares).';

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
COMMENT ON TABLE "data_playground"."shop_promotion" IS 'Promotions of shops (ShopPromotion): a percent off a whole order from starts_at to ends_at. Those running at the window start (event_time = window start) and those created in it.';
COMMENT ON COLUMN "data_playground"."shop_promotion"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_promotion"."event_time" IS 'When it was created (announced) in the window, or the window start for those already running. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_promotion"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_promotion"."shop_id" IS 'The shop.';
COMMENT ON COLUMN "data_playground"."shop_promotion"."name" IS 'Adjective + Sale, Deal, Days, Weekend, Flash Sale or Doorbuster.';
COMMENT ON COLUMN "data_playground"."shop_promotion"."code" IS 'Unique: PROMO<number>X<0 to 999>.';
COMMENT ON COLUMN "data_playground"."shop_promotion"."discount_percent" IS 'Percent off the order subtotal (scenario promotion_discount_percent).';
COMMENT ON COLUMN "data_playground"."shop_promotion"."starts_at" IS 'Start: scenario promotion_lead_hours after its announcement (before the window for those already running).';
COMMENT ON COLUMN "data_playground"."shop_promotion"."ends_at" IS 'End: starts_at + scenario promotion_duration_hours.';
COMMENT ON COLUMN "data_playground"."shop_promotion"."status" IS 'At the window end: scheduled before starts_at, active until ends_at, ended after.';
COMMENT ON COLUMN "data_playground"."shop_promotion"."created_time" IS 'least(event_time, starts_at): its announcement, or starts_at for those already running.';
COMMENT ON COLUMN "data_playground"."shop_promotion"."updated_time" IS 'When it entered its status: created_time (scheduled), starts_at (active) or ends_at (ended).';
COMMENT ON COLUMN "data_playground"."shop_promotion"."extra_data" IS 'Free-form attributes (jsonb): channel (email, onsite, social, affiliate, sms), audience (all, new_customers, returning, vip, newsletter; a newsletter promotion goes only to users with marketing_opt_in, the others are labels), min_basket (0, 25, 50 or 100 USD in the shop''s currency, two significant digits: an order below it does not get the promotion), stackable.';

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
  body text NOT NULL,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);
COMMENT ON TABLE "data_playground"."shop_review" IS 'Product reviews (ShopReview): by the buyer, of one item of a paid order, at most one per order, posted scenario review_delay_hours after it (spread over them as the scenario rhythm of the UTC hour each lands in: reviews follow the day as orders do; none in a window shorter than the minimum delay, fewer in its first review_delay_hours.max hours).';
COMMENT ON COLUMN "data_playground"."shop_review"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_review"."event_time" IS 'When it was posted: a keyed time in its hour. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_review"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_review"."user_id" IS 'The reviewer: the buyer of the order.';
COMMENT ON COLUMN "data_playground"."shop_review"."shop_id" IS 'The order''s shop.';
COMMENT ON COLUMN "data_playground"."shop_review"."shop_product_id" IS 'The reviewed product: an item of the order.';
COMMENT ON COLUMN "data_playground"."shop_review"."shop_order_id" IS 'The order: paid (it may since have been refunded or returned).';
COMMENT ON COLUMN "data_playground"."shop_review"."rating" IS '1 to 5 stars, keyed: 5: 55%, 4: 25%, 3: 10%, 2: 5%, 1: 5%; of an order refunded or returned (in the window or later): 1: 50%, 2: 30%, 3: 15%, 4: 5%.';
COMMENT ON COLUMN "data_playground"."shop_review"."title" IS 'Short English title in the rating''s own words (a 1-star title never reads as a 5-star one), sometimes naming the product.';
COMMENT ON COLUMN "data_playground"."shop_review"."body" IS 'English review text of that rating: an opener naming the product (its noun: ''this hoodie'', ''this book''), a detail on quality or fit, sometimes a delivery remark, a closer.';
COMMENT ON COLUMN "data_playground"."shop_review"."created_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."shop_review"."updated_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."shop_review"."extra_data" IS 'Free-form attributes (jsonb): verified_purchase (always true: reviews are of paid orders), helpful_votes, has_photo (likelier on 1 and 5 stars).';

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
COMMENT ON TABLE "data_playground"."shop_inventory_log" IS 'Stock movements (ShopInventoryLog): a ''sale'' per item of a paid order, a ''restock'' when a sale left a restocked product (scenario restock_rate) at or below its reorder point, a ''return'' per item of a returned order. Reorder points and restock sizes follow the product''s expected demand (scenario reorder_point and restock_quantity are floors).';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."event_time" IS 'sale: the order''s time (it reserves the units); restock: scenario restock_lead_hours after the sale that triggered it; return: the order''s return. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."shop_product_id" IS 'The product.';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."shop_id" IS 'The product''s shop.';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."shop_order_id" IS 'sale: the paid order; return: the returned order; restock: NULL.';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."change_type" IS 'sale, restock or return.';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."quantity_change" IS 'sale: minus the units sold; return: plus the units returned; restock: plus the larger of a keyed scenario restock_quantity and 1 to 7 times restock_lead_hours'' max of the product''s expected demand.';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."created_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."updated_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."shop_inventory_log"."extra_data" IS 'Free-form attributes (jsonb): warehouse (wh-<shop''s country>-<n>), reason (customer_order, purchase_order, transfer_in, customer_return), condition of returns; a restock arrives restock_lead_hours after the sale that triggered it.';

-- RequestResponseLog: hourly partitions
CREATE TABLE IF NOT EXISTS "data_playground"."request_response_log" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  user_id uuid, -- references users
  shop_id uuid, -- references shop
  shop_product_id uuid, -- references shop_product
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
COMMENT ON TABLE "data_playground"."request_response_log" IS 'The platform''s web/API traffic (RequestResponseLog): the requests of browsing sessions, anonymous and signed-in, and of crawlers, with the scenario funnel (conversion_rate, anonymous_share, bot_share, product_views_per_session, cart_add_rate, search_rate); every order is the checkout of one session. A keyed sample of whole sessions is logged (log_sample_rate, also in extra_data.sample_rate).';
COMMENT ON COLUMN "data_playground"."request_response_log"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."request_response_log"."event_time" IS 'When the request arrived: a session''s requests follow each other by think times (1 s to 1 min); a buying session''s checkout is its order''s event_time and its payment POSTs its attempts'' times. A session stays in its hour''s partition: requests past the hour''s end are not there, the views before a checkout early in the hour are squeezed into it. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."request_response_log"."partition_key" IS 'event_time''s UTC hour, YYYY-MM-DDThh:00:00 (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."request_response_log"."user_id" IS 'The signed-in user (a buying session: the buyer); NULL for anonymous sessions and crawlers.';
COMMENT ON COLUMN "data_playground"."request_response_log"."shop_id" IS 'The shop the request is about (its product, cart or order); NULL for home, search, category, login, robots.txt and sitemap requests and for pages not found.';
COMMENT ON COLUMN "data_playground"."request_response_log"."shop_product_id" IS 'The product a product-page view or a cart add is about (active at the time, of shop_id); NULL otherwise and for pages not found (404).';
COMMENT ON COLUMN "data_playground"."request_response_log"."shop_order_id" IS 'A buying session''s order, on its requests from the checkout on (checkout, payments, order page); NULL otherwise.';
COMMENT ON COLUMN "data_playground"."request_response_log"."method" IS 'GET or POST, by route.';
COMMENT ON COLUMN "data_playground"."request_response_log"."path" IS 'The route template (ids are in the columns): /, /api/categories/{slug}, /api/search, /api/products/{id}, /api/cart/items, /api/checkout, /api/payments, /api/orders/{id}, /api/auth/login, /robots.txt, /sitemap.xml.';
COMMENT ON COLUMN "data_playground"."request_response_log"."status_code" IS 'Success 200 (GET, login) or 201 (POST); 402 for a declined payment attempt; 404 for pages not found (more for crawlers); 400/401/409 at scenario api_error_rate; 429 rising with the hour''s load; 5xx in bursts (incident minutes, likelier the busier the hour).';
COMMENT ON COLUMN "data_playground"."request_response_log"."latency_ms" IS 'Log-normal at scenario api_latency_ms times the route''s cost and a queueing factor that rises with the hour''s load (requests / api_capacity_per_hour); 429/503 answer fast, 504 after 10-30 s.';
COMMENT ON COLUMN "data_playground"."request_response_log"."response_bytes" IS 'Response size by route (errors: 90 to 389).';
COMMENT ON COLUMN "data_playground"."request_response_log"."created_time" IS '= event_time.';
COMMENT ON COLUMN "data_playground"."request_response_log"."updated_time" IS 'event_time + latency_ms when that is still in the hour, else event_time.';
COMMENT ON COLUMN "data_playground"."request_response_log"."extra_data" IS 'The session and its client (jsonb): session (uuid shared by the requests of one session), ua, device (mobile, desktop, tablet, bot), channel (web, ios-app, android-app), bot (true for crawlers), referrer (null = direct) and campaign (the newsletter''s: the scenario event running in the hour), sample_rate (the share of sessions logged); q: the search words of GET /api/search.';

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
  api_errors integer NOT NULL DEFAULT 0,
  api_latency_ms_sum bigint NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);
COMMENT ON TABLE "data_playground"."user_metrics_hourly" IS 'Metrics per user and UTC hour (UserMetricsHourly): a row per (user, hour) with an order (any status), a review or a logged request by the user, none otherwise. What an order causes (items, payment attempts) counts in the hour of the order''s event_time, a review and a logged request in their own. Hourly rows, daily partitions.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."event_time" IS 'Start of the bucket the row counts: its UTC hour. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."partition_key" IS 'event_time''s UTC day, YYYY-MM-DD (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."user_id" IS 'The user the row counts (users.id).';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."orders_count" IS 'Paid orders (payment succeeded: status paid, or refunded/returned later) placed in the bucket by the user, at the shop, or with an item of the product.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."orders_value" IS 'What the user paid: the revenue (see shop_metrics_hourly.revenue) of the user''s paid orders placed in the bucket: sum of line_total - the item''s discount (round(line_total * discount_percent / 100), the promotion''s percent; the order''s discount is the sum of its items'') per item, converted to the reporting currency per line.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."payments_succeeded" IS 'Payment attempts with status ''succeeded'' on the user''s orders placed in the bucket: one per paid order.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."payments_failed" IS 'Payment attempts (shop_order_payment) with status ''failed'' on orders of the user or shop placed in the bucket.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."reviews_count" IS 'Reviews (shop_review) posted in the bucket by the user, of the shop, or of the product.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."promotions_used" IS 'The user''s paid orders placed in the bucket with a promotion (shop_promotion_id set).';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."carts_abandoned" IS 'Orders of the user or shop placed in the bucket with status ''abandoned'' (no payment attempt; out-of-stock carts too).';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."api_requests" IS 'Logged requests (request_response_log rows) in the bucket with this user_id or shop_id. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."api_errors" IS 'Of the api_requests, those with status_code >= 400.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."api_latency_ms_sum" IS 'Sum of latency_ms of the api_requests, errors included: divided by api_requests, the mean latency.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."created_time" IS 'End of the hour the row counts: when the row was final.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."updated_time" IS 'End of the hour the row counts: when the row was final.';
COMMENT ON COLUMN "data_playground"."user_metrics_hourly"."extra_metrics" IS 'What the numbers are in (jsonb): currency, the reporting currency of the money columns; log_sample_rate, the share of sessions request_response_log holds (the traffic columns count them).';

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
  api_errors integer NOT NULL DEFAULT 0,
  api_latency_ms_sum bigint NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);
COMMENT ON TABLE "data_playground"."user_metrics_daily" IS 'Metrics per user and UTC day (UserMetricsDaily): a row per (user, day) with an order (any status), a review or a logged request by the user; the sums of its hourly rows, except distinct counts, min/max and the levels at the bucket end (see the columns). The window''s first and last day may be partial.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."event_time" IS 'Start of the bucket the row counts: its UTC day. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."partition_key" IS 'event_time''s UTC day, YYYY-MM-DD (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."user_id" IS 'The user the row counts (users.id).';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."orders_count" IS 'Paid orders (payment succeeded: status paid, or refunded/returned later) placed in the bucket by the user, at the shop, or with an item of the product.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."orders_value" IS 'What the user paid: the revenue (see shop_metrics_hourly.revenue) of the user''s paid orders placed in the bucket: sum of line_total - the item''s discount (round(line_total * discount_percent / 100), the promotion''s percent; the order''s discount is the sum of its items'') per item, converted to the reporting currency per line.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."payments_succeeded" IS 'Payment attempts with status ''succeeded'' on the user''s orders placed in the bucket: one per paid order.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."payments_failed" IS 'Payment attempts (shop_order_payment) with status ''failed'' on orders of the user or shop placed in the bucket.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."reviews_count" IS 'Reviews (shop_review) posted in the bucket by the user, of the shop, or of the product.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."promotions_used" IS 'The user''s paid orders placed in the bucket with a promotion (shop_promotion_id set).';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."carts_abandoned" IS 'Orders of the user or shop placed in the bucket with status ''abandoned'' (no payment attempt; out-of-stock carts too).';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."api_requests" IS 'Logged requests (request_response_log rows) in the bucket with this user_id or shop_id. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."api_errors" IS 'Of the api_requests, those with status_code >= 400.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."api_latency_ms_sum" IS 'Sum of latency_ms of the api_requests, errors included: divided by api_requests, the mean latency.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."created_time" IS 'End of the day the row counts (the window''s end for a partial last day): when the row was final.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."updated_time" IS 'End of the day the row counts (the window''s end for a partial last day): when the row was final.';
COMMENT ON COLUMN "data_playground"."user_metrics_daily"."extra_metrics" IS 'What the numbers are in (jsonb): currency, the reporting currency of the money columns; log_sample_rate, the share of sessions request_response_log holds (the traffic columns count them).';

-- ShopMetricsHourly: daily partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_metrics_hourly" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_id uuid NOT NULL, -- references shop
  orders_count integer NOT NULL DEFAULT 0,
  revenue numeric(12,2) NOT NULL DEFAULT 0,
  customers_count integer NOT NULL DEFAULT 0,
  new_customers integer NOT NULL DEFAULT 0,
  units_sold integer NOT NULL DEFAULT 0,
  products_sold integer NOT NULL DEFAULT 0,
  reviews_count integer NOT NULL DEFAULT 0,
  rating_sum integer NOT NULL DEFAULT 0,
  promotion_orders integer NOT NULL DEFAULT 0,
  discount_total numeric(12,2) NOT NULL DEFAULT 0,
  carts_abandoned integer NOT NULL DEFAULT 0,
  payments_failed integer NOT NULL DEFAULT 0,
  inventory_value numeric(14,2) NOT NULL DEFAULT 0,
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
COMMENT ON TABLE "data_playground"."shop_metrics_hourly" IS 'Metrics per shop and UTC hour (ShopMetricsHourly): a row per (shop, hour) with an order (any status), a review, or a logged request about the shop or one of its products, none otherwise. What an order causes (items, payment attempts) counts in the hour of the order''s event_time, a review and a logged request in their own. Hourly rows, daily partitions.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."event_time" IS 'Start of the bucket the row counts: its UTC hour. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."partition_key" IS 'event_time''s UTC day, YYYY-MM-DD (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."shop_id" IS 'The shop the row counts (shop.id).';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."orders_count" IS 'Paid orders (payment succeeded: status paid, or refunded/returned later) placed in the bucket by the user, at the shop, or with an item of the product.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."revenue" IS 'What buyers paid, after discounts: sum over the items of paid orders placed in the bucket (of the user, the shop or the product) of line_total - the item''s discount (round(line_total * discount_percent / 100), the promotion''s percent; the order''s discount is the sum of its items''), each line converted to the reporting currency (extra_metrics.currency) before adding. A shop''s revenue is the sum of its products''.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."customers_count" IS 'Distinct users with a paid order at the shop placed in the bucket (in shop_metrics_daily distinct over the day, not the sum of the hourly rows).';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."new_customers" IS 'Customers acquired: paid orders placed in the bucket that are their buyer''s first paid order at the shop since the window''s start (the data has no earlier orders).';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."units_sold" IS 'Units sold: sum of shop_order_item.quantity of the shop''s or the product''s items in paid orders placed in the bucket.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."products_sold" IS 'Distinct products with an item in the shop''s paid orders placed in the bucket (in shop_metrics_daily distinct over the day, not the sum of the hourly rows).';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."reviews_count" IS 'Reviews (shop_review) posted in the bucket by the user, of the shop, or of the product.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."rating_sum" IS 'Sum of the ratings (1 to 5) of the reviews in reviews_count: rating_sum / reviews_count is the mean.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."promotion_orders" IS 'The shop''s paid orders placed in the bucket with a promotion (shop_promotion_id set).';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."discount_total" IS 'Sum of the item discounts (round(line_total * discount_percent / 100)) of the shop''s paid orders placed in the bucket, each converted to the reporting currency before adding.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."carts_abandoned" IS 'Orders of the user or shop placed in the bucket with status ''abandoned'' (no payment attempt; out-of-stock carts too).';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."payments_failed" IS 'Payment attempts (shop_order_payment) with status ''failed'' on orders of the user or shop placed in the bucket.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."inventory_value" IS 'Not an aggregate: the value of the shop''s stock at the end of the bucket, sum over its products existing then of inventory_on_hand * the product''s price then, each product converted to the reporting currency.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."page_views" IS 'Logged product-page views: request_response_log rows in the bucket about the product (shop_product_id; for a shop, about any of its products), GET of the product route with a 2xx status by a person (not a crawler: extra_data bot). A shop''s is the sum of its products''. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."cart_adds" IS 'Logged add-to-cart requests: request_response_log rows in the bucket about the product (shop_product_id; for a shop, any of its products), POST of the cart-items route with a 2xx status. A shop''s is the sum of its products''. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."api_requests" IS 'Logged requests (request_response_log rows) in the bucket with this user_id or shop_id. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."api_errors" IS 'Of the api_requests, those with status_code >= 400.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."api_latency_ms_sum" IS 'Sum of latency_ms of the api_requests, errors included: divided by api_requests, the mean latency.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."created_time" IS 'End of the hour the row counts: when the row was final.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."updated_time" IS 'End of the hour the row counts: when the row was final.';
COMMENT ON COLUMN "data_playground"."shop_metrics_hourly"."extra_metrics" IS 'What the numbers are in (jsonb): currency, the reporting currency of the money columns; log_sample_rate, the share of sessions request_response_log holds (the traffic columns count them).';

-- ShopMetricsDaily: daily partitions
CREATE TABLE IF NOT EXISTS "data_playground"."shop_metrics_daily" (
  id uuid NOT NULL,
  event_time timestamptz NOT NULL,
  partition_key text NOT NULL,
  shop_id uuid NOT NULL, -- references shop
  orders_count integer NOT NULL DEFAULT 0,
  revenue numeric(12,2) NOT NULL DEFAULT 0,
  customers_count integer NOT NULL DEFAULT 0,
  new_customers integer NOT NULL DEFAULT 0,
  units_sold integer NOT NULL DEFAULT 0,
  products_sold integer NOT NULL DEFAULT 0,
  reviews_count integer NOT NULL DEFAULT 0,
  rating_sum integer NOT NULL DEFAULT 0,
  promotion_orders integer NOT NULL DEFAULT 0,
  discount_total numeric(12,2) NOT NULL DEFAULT 0,
  carts_abandoned integer NOT NULL DEFAULT 0,
  payments_failed integer NOT NULL DEFAULT 0,
  inventory_value numeric(14,2) NOT NULL DEFAULT 0,
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
COMMENT ON TABLE "data_playground"."shop_metrics_daily" IS 'Metrics per shop and UTC day (ShopMetricsDaily): a row per (shop, day) with an order (any status), a review, or a logged request about the shop or one of its products; the sums of its hourly rows, except distinct counts, min/max and the levels at the bucket end (see the columns). The window''s first and last day may be partial.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."event_time" IS 'Start of the bucket the row counts: its UTC day. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."partition_key" IS 'event_time''s UTC day, YYYY-MM-DD (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."shop_id" IS 'The shop the row counts (shop.id).';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."orders_count" IS 'Paid orders (payment succeeded: status paid, or refunded/returned later) placed in the bucket by the user, at the shop, or with an item of the product.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."revenue" IS 'What buyers paid, after discounts: sum over the items of paid orders placed in the bucket (of the user, the shop or the product) of line_total - the item''s discount (round(line_total * discount_percent / 100), the promotion''s percent; the order''s discount is the sum of its items''), each line converted to the reporting currency (extra_metrics.currency) before adding. A shop''s revenue is the sum of its products''.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."customers_count" IS 'Distinct users with a paid order at the shop placed in the bucket (in shop_metrics_daily distinct over the day, not the sum of the hourly rows).';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."new_customers" IS 'Customers acquired: paid orders placed in the bucket that are their buyer''s first paid order at the shop since the window''s start (the data has no earlier orders).';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."units_sold" IS 'Units sold: sum of shop_order_item.quantity of the shop''s or the product''s items in paid orders placed in the bucket.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."products_sold" IS 'Distinct products with an item in the shop''s paid orders placed in the bucket (in shop_metrics_daily distinct over the day, not the sum of the hourly rows).';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."reviews_count" IS 'Reviews (shop_review) posted in the bucket by the user, of the shop, or of the product.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."rating_sum" IS 'Sum of the ratings (1 to 5) of the reviews in reviews_count: rating_sum / reviews_count is the mean.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."promotion_orders" IS 'The shop''s paid orders placed in the bucket with a promotion (shop_promotion_id set).';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."discount_total" IS 'Sum of the item discounts (round(line_total * discount_percent / 100)) of the shop''s paid orders placed in the bucket, each converted to the reporting currency before adding.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."carts_abandoned" IS 'Orders of the user or shop placed in the bucket with status ''abandoned'' (no payment attempt; out-of-stock carts too).';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."payments_failed" IS 'Payment attempts (shop_order_payment) with status ''failed'' on orders of the user or shop placed in the bucket.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."inventory_value" IS 'Not an aggregate: the value of the shop''s stock at the end of the bucket, sum over its products existing then of inventory_on_hand * the product''s price then, each product converted to the reporting currency.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."page_views" IS 'Logged product-page views: request_response_log rows in the bucket about the product (shop_product_id; for a shop, about any of its products), GET of the product route with a 2xx status by a person (not a crawler: extra_data bot). A shop''s is the sum of its products''. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."cart_adds" IS 'Logged add-to-cart requests: request_response_log rows in the bucket about the product (shop_product_id; for a shop, any of its products), POST of the cart-items route with a 2xx status. A shop''s is the sum of its products''. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."api_requests" IS 'Logged requests (request_response_log rows) in the bucket with this user_id or shop_id. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."api_errors" IS 'Of the api_requests, those with status_code >= 400.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."api_latency_ms_sum" IS 'Sum of latency_ms of the api_requests, errors included: divided by api_requests, the mean latency.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."created_time" IS 'End of the day the row counts (the window''s end for a partial last day): when the row was final.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."updated_time" IS 'End of the day the row counts (the window''s end for a partial last day): when the row was final.';
COMMENT ON COLUMN "data_playground"."shop_metrics_daily"."extra_metrics" IS 'What the numbers are in (jsonb): currency, the reporting currency of the money columns; log_sample_rate, the share of sessions request_response_log holds (the traffic columns count them).';

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
  inventory_on_hand integer NOT NULL DEFAULT 0,
  min_unit_price numeric(12,2),
  max_unit_price numeric(12,2),
  unit_price numeric(12,2) NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);
COMMENT ON TABLE "data_playground"."shop_product_metrics_hourly" IS 'Metrics per product and UTC hour (ShopProductMetricsHourly): a row per (product, hour) with the product in an order (any status), a review of it, or a logged view or cart add of it, none otherwise. What an order causes (items, payment attempts) counts in the hour of the order''s event_time, a review and a logged request in their own. Hourly rows, daily partitions.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."event_time" IS 'Start of the bucket the row counts: its UTC hour. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."partition_key" IS 'event_time''s UTC day, YYYY-MM-DD (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."shop_product_id" IS 'The product the row counts (shop_product.id).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."shop_id" IS 'The product''s shop (shop_product.shop_id).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."units_sold" IS 'Units sold: sum of shop_order_item.quantity of the shop''s or the product''s items in paid orders placed in the bucket.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."revenue" IS 'What buyers paid, after discounts: sum over the items of paid orders placed in the bucket (of the user, the shop or the product) of line_total - the item''s discount (round(line_total * discount_percent / 100), the promotion''s percent; the order''s discount is the sum of its items''), each line converted to the reporting currency (extra_metrics.currency) before adding. A shop''s revenue is the sum of its products''.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."orders_count" IS 'Paid orders (payment succeeded: status paid, or refunded/returned later) placed in the bucket by the user, at the shop, or with an item of the product.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."cart_adds" IS 'Logged add-to-cart requests: request_response_log rows in the bucket about the product (shop_product_id; for a shop, any of its products), POST of the cart-items route with a 2xx status. A shop''s is the sum of its products''. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."page_views" IS 'Logged product-page views: request_response_log rows in the bucket about the product (shop_product_id; for a shop, about any of its products), GET of the product route with a 2xx status by a person (not a crawler: extra_data bot). A shop''s is the sum of its products''. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."reviews_count" IS 'Reviews (shop_review) posted in the bucket by the user, of the shop, or of the product.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."rating_sum" IS 'Sum of the ratings (1 to 5) of the reviews in reviews_count: rating_sum / reviews_count is the mean.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."promotion_units" IS 'Units of the product sold in paid orders with a promotion placed in the bucket.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."inventory_on_hand" IS 'Not an aggregate: the stock of the product at the end of the bucket, after its sales, returns and restocks (shop_inventory_log replayed from the stock at the window start); never below 0.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."min_unit_price" IS 'Lowest unit_price of the product''s items in paid orders placed in the bucket, converted to the reporting currency; NULL when none sold (in the daily row the least of the hours).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."max_unit_price" IS 'Highest unit_price of the product''s items in paid orders placed in the bucket, converted to the reporting currency; NULL when none sold (in the daily row the greatest of the hours).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."unit_price" IS 'Not an aggregate: the product''s list price at the end of the bucket (repricings: global_event price_changed), converted from the shop''s currency to the reporting currency.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."created_time" IS 'End of the hour the row counts: when the row was final.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."updated_time" IS 'End of the hour the row counts: when the row was final.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_hourly"."extra_metrics" IS 'What the numbers are in (jsonb): currency, the reporting currency of the money columns; log_sample_rate, the share of sessions request_response_log holds (the traffic columns count them).';

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
  inventory_on_hand integer NOT NULL DEFAULT 0,
  min_unit_price numeric(12,2),
  max_unit_price numeric(12,2),
  unit_price numeric(12,2) NOT NULL DEFAULT 0,
  created_time timestamptz NOT NULL,
  updated_time timestamptz NOT NULL,
  extra_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);
COMMENT ON TABLE "data_playground"."shop_product_metrics_daily" IS 'Metrics per product and UTC day (ShopProductMetricsDaily): a row per (product, day) with the product in an order (any status), a review of it, or a logged view or cart add of it; the sums of its hourly rows, except distinct counts, min/max and the levels at the bucket end (see the columns). The window''s first and last day may be partial.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."id" IS 'Unique; primary key with event_time. A version-4 UUID derived from (seed, kind, row key): the same in every run with the same seed.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."event_time" IS 'Start of the bucket the row counts: its UTC day. The partitioning column (range).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."partition_key" IS 'event_time''s UTC day, YYYY-MM-DD (the data model''s partition key).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."shop_product_id" IS 'The product the row counts (shop_product.id).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."shop_id" IS 'The product''s shop (shop_product.shop_id).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."units_sold" IS 'Units sold: sum of shop_order_item.quantity of the shop''s or the product''s items in paid orders placed in the bucket.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."revenue" IS 'What buyers paid, after discounts: sum over the items of paid orders placed in the bucket (of the user, the shop or the product) of line_total - the item''s discount (round(line_total * discount_percent / 100), the promotion''s percent; the order''s discount is the sum of its items''), each line converted to the reporting currency (extra_metrics.currency) before adding. A shop''s revenue is the sum of its products''.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."orders_count" IS 'Paid orders (payment succeeded: status paid, or refunded/returned later) placed in the bucket by the user, at the shop, or with an item of the product.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."cart_adds" IS 'Logged add-to-cart requests: request_response_log rows in the bucket about the product (shop_product_id; for a shop, any of its products), POST of the cart-items route with a 2xx status. A shop''s is the sum of its products''. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."page_views" IS 'Logged product-page views: request_response_log rows in the bucket about the product (shop_product_id; for a shop, about any of its products), GET of the product route with a 2xx status by a person (not a crawler: extra_data bot). A shop''s is the sum of its products''. request_response_log is a keyed sample of whole sessions (extra_metrics.log_sample_rate): divide by it to estimate all traffic.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."reviews_count" IS 'Reviews (shop_review) posted in the bucket by the user, of the shop, or of the product.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."rating_sum" IS 'Sum of the ratings (1 to 5) of the reviews in reviews_count: rating_sum / reviews_count is the mean.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."promotion_units" IS 'Units of the product sold in paid orders with a promotion placed in the bucket.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."inventory_on_hand" IS 'Not an aggregate: the stock of the product at the end of the bucket, after its sales, returns and restocks (shop_inventory_log replayed from the stock at the window start); never below 0.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."min_unit_price" IS 'Lowest unit_price of the product''s items in paid orders placed in the bucket, converted to the reporting currency; NULL when none sold (in the daily row the least of the hours).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."max_unit_price" IS 'Highest unit_price of the product''s items in paid orders placed in the bucket, converted to the reporting currency; NULL when none sold (in the daily row the greatest of the hours).';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."unit_price" IS 'Not an aggregate: the product''s list price at the end of the bucket (repricings: global_event price_changed), converted from the shop''s currency to the reporting currency.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."created_time" IS 'End of the day the row counts (the window''s end for a partial last day): when the row was final.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."updated_time" IS 'End of the day the row counts (the window''s end for a partial last day): when the row was final.';
COMMENT ON COLUMN "data_playground"."shop_product_metrics_daily"."extra_metrics" IS 'What the numbers are in (jsonb): currency, the reporting currency of the money columns; log_sample_rate, the share of sessions request_response_log holds (the traffic columns count them).';

-- Secondary indexes of the default layout (src/model/layout.ts), on every partition
CREATE INDEX IF NOT EXISTS "global_entity_entity_id_idx" ON "data_playground"."global_entity" ("entity_id");
CREATE INDEX IF NOT EXISTS "global_entity_entity_type_event_time_idx" ON "data_playground"."global_entity" ("entity_type", "event_time");
