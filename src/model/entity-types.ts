/**
 * The data model's "entity type enumeration": the values of global_entity.entity_type and
 * global_event.entity_type, one per entity table (its name, `users` -> 'user'). The DDL makes the list a CHECK
 * constraint on both columns (./tables.ts `oneOf`), the generator writes these words and nothing else.
 */
export const ENTITY_TYPES = [
  'user',
  'user_payment_method',
  'shop',
  'shop_product',
  'shop_promotion',
  'shop_order',
  'shop_order_item',
  'shop_order_payment',
  'invoice',
  'invoice_payment',
  'shop_review',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
