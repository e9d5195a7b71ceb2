SELECT * FROM a JOIN b ON a.id = b.id;
SELECT * FROM a INNER JOIN b USING (id, k);
SELECT * FROM a LEFT JOIN b ON a.id = b.id RIGHT OUTER JOIN c ON b.id = c.id FULL OUTER JOIN d ON TRUE;
SELECT * FROM a CROSS JOIN b, c NATURAL JOIN d;
SELECT * FROM a, (b JOIN c ON b.x = c.x);
SELECT * FROM Orders o, Shipments s
WHERE o.id = s.order_id AND o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time;
SELECT order_id, res FROM Orders, LATERAL TABLE(split(tags)) AS T(res);
SELECT order_id, res FROM Orders LEFT JOIN LATERAL TABLE(split(tags)) AS T(res) ON TRUE;
SELECT o.order_id, r.rate FROM orders AS o
JOIN currency_rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency;
SELECT * FROM orders o JOIN customers FOR SYSTEM_TIME AS OF o.proc_time AS c ON o.customer_id = c.id;
SELECT * FROM cat.db.t1 AS x (a, b), LATERAL (SELECT * FROM t2 WHERE t2.a = x.a) y;
