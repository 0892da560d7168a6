/**
 * Comments of the readable text and extra_data columns (issue 8 §5), kept here so that tables.ts stays short:
 * what extra_data holds per table, and how names, usernames and reviews are made.
 */

export const EXTRA = {
  global_entity:
    'Free-form attributes (jsonb): source (the service that owns the entity: accounts-service, checkout-service, ...), schema_version.',
  global_event:
    "Free-form attributes (jsonb): source service, actor (user, shop_owner, shop_staff, system, ...), client of user actions (web, ios-app, android-app: the channel of that user's sessions, as their requests and orders show), schema_version.",
  users:
    "Free-form attributes (jsonb): locale (from country_code), time_zone (IANA name, one of the country's: the hours the user shops in follow it), signup_channel (web, ios, android, referral, google_oauth), marketing_opt_in (true: gets the newsletter and its promotions).",
  shop: 'Free-form attributes (jsonb): tier (basic, plus, pro, enterprise), payment_gateway (its payments and settlements name it), ships_international, return_policy_days, tax_region (US state or Canadian province: the sales tax its sales at home add and their invoices name).',
  shop_product:
    'Free-form attributes (jsonb) by category: material or feature (the word of the name), format (titles), colours, sizes (clothing, shoes), weight_g, returnable.',
  shop_order:
    "Free-form attributes (jsonb): channel (web, ios-app, android-app) and device of the buying session's client, utm_source/utm_medium/utm_campaign from its referrer and campaign (the newsletter's and the stories' campaign is the scenario event running in the order's hour, weekly-newsletter and new-arrivals outside events; null for direct traffic; the same session in request_response_log extra_data), coupon_code (= the promotion's code) when a promotion applied, reason out_of_stock for a cart that could not convert.",
  shop_order_item:
    "Free-form attributes (jsonb): the variant bought (size, colour: among the product's own), gift_wrap sometimes; '{}' for products without variants.",
  shop_order_payment:
    "Free-form attributes (jsonb): gateway (the shop's), response_code (ISO 8583: 00 approved, 51 insufficient funds, 54 expired card, 05, 96, ... by failure_reason), three_ds, risk_level; refunds and returns: their reason.",
  invoice:
    "Free-form attributes (jsonb): tax_scheme (domestic: a sale at home; oss: from one EU country to a consumer of another; export: any other sale abroad, zero-rated), tax_country (the shop's; the buyer's for oss), tax_region (US state, Canadian province, domestic only), tax_rate (standard VAT/GST or sales tax, percent), tax_included (false: the order's total adds the tax to the prices), payment_terms (due_on_receipt: paid at checkout), due_days.",
  invoice_payment:
    "Free-form attributes (jsonb): gateway (the shop's), settlement_batch (<next day YYYYMMDD>-<batch>).",
  user_payment_method:
    "Free-form attributes (jsonb): billing_country (mostly the user's), cards: funding (credit, debit, prepaid), issuer_country; wallets: tokenized, card_network (the billing country's networks in their shares).",
  shop_promotion:
    "Free-form attributes (jsonb): channel (email, onsite, social, affiliate, sms), audience (all, new_customers, returning, vip, newsletter; a newsletter promotion goes only to users with marketing_opt_in, the others are labels), min_basket (0, 25, 50 or 100 USD in the shop's currency, two significant digits: an order below it does not get the promotion), stackable.",
  shop_review:
    'Free-form attributes (jsonb): verified_purchase (always true: reviews are of paid orders), helpful_votes, has_photo (likelier on 1 and 5 stars).',
  shop_inventory_log:
    "Free-form attributes (jsonb): warehouse (wh-<shop's country>-<n>), reason (customer_order, purchase_order, transfer_in, customer_return), condition of returns; a restock arrives restock_lead_hours after the sale that triggered it.",
} as const;

export const TEXT = {
  productCategory: "Department: the shop's category for 85% of products, another department for the rest.",
  username:
    'Unique: from full_name as first.last, firstlast, f_last, first_last, lastfirst, first or firstl (keyed), followed by the user number.',
  shopName:
    "A name fitting its category: <Last name>'s <Bookshop, Apparel, ...>, <Last> & <Last> ..., The <Adjective> ..., <City> ..., or a company name.",
  productName:
    "A name made of its category's words: [adjective or brand] + material/feature + noun ('Kessler Merino Wool Sweater'); a title + format for Books, Movies, Music, Games. One of 256 per category; a shop's products have distinct names (up to 256 products).",
  reviewTitle:
    "Short English title in the rating's own words (a 1-star title never reads as a 5-star one), sometimes naming the product.",
  reviewBody:
    "English review text of that rating: an opener naming the product (its noun: 'this hoodie', 'this book'), a detail on quality or fit, sometimes a delivery remark, a closer.",
} as const;
