/** The statements gen live sends: parent or leaf INSERTs by the layout, UPDATEs by primary key. */
import { describe, expect, it } from 'vitest';
import { Statements } from '../../src/live/sql.js';
import { DAILY_LAYOUT, DEFAULT_LAYOUT } from '../../src/model/layout.js';

const T = Date.UTC(2026, 10, 27, 13, 5);

describe('live statements', () => {
  it('insert through the parent by default, whatever the layout routes COPY to', () => {
    const st = new Statements('s', DEFAULT_LAYOUT);
    const i = st.insert('shop_order', 2, T);
    expect(i.text).toMatch(/^INSERT INTO "s"\."shop_order" \(/);
    expect(i.text).toContain('), (');
    expect(i.name).toBe('i_shop_order_2');
  });

  it("insert into the row's partition when a layout file asks for route leaf", () => {
    const hourly = new Statements('s', { ...DEFAULT_LAYOUT, liveRoute: 'leaf' });
    expect(hourly.insert('shop_order', 1, T).text).toContain('"s"."shop_order_p20261127_130000"');
    const daily = new Statements('s', { ...DAILY_LAYOUT, liveRoute: 'leaf' });
    expect(daily.insert('shop_order', 1, T).text).toContain('"s"."shop_order_p20261127"');
  });

  it('update by (event_time, id) with absolute values, failing (1 / 0) when it finds no row', () => {
    const st = new Statements('s', DEFAULT_LAYOUT);
    expect(st.update('shop_product', 'inventory').text).toBe(
      'WITH changed AS (UPDATE "s"."shop_product" SET "inventory" = $3 WHERE event_time = $1 AND "id" = $2 RETURNING 1) SELECT 1 / count(*) FROM changed',
    );
  });
});
