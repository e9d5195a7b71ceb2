SELECT a, b, COUNT(*) FROM t GROUP BY GROUPING SETS ((a, b), (a), ());
SELECT a, b, SUM(c) FROM t GROUP BY ROLLUP (a, b);
SELECT a, b, SUM(c) FROM t GROUP BY CUBE (a, (b, c)), d HAVING SUM(c) > 10;
SELECT (a + b) AS s, COUNT(*) FROM t GROUP BY (a + b);
SELECT t.*, u.* FROM t, u;
SELECT db.t.* FROM db.t;
