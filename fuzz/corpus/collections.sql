SELECT ARRAY[1, 2, 3], MAP['a', 1, 'b', 2], ARRAY['x'][1], CARDINALITY(tags) FROM t;
SELECT o.id, t.tag FROM orders AS o CROSS JOIN UNNEST(o.tags) AS t (tag);
SELECT * FROM orders, UNNEST(o.items, o.props) WITH ORDINALITY AS x (item, k, v, n);
