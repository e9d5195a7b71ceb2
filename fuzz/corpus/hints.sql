SELECT * FROM kafka_orders /*+ OPTIONS('scan.startup.mode' = 'earliest-offset') */;
SELECT /*+ BROADCAST(dim), STATE_TTL('o' = '1d', 'd' = '12h') */ o.id, d.name
FROM orders /*+ OPTIONS('rows-per-second' = '10') */ AS o
JOIN dim /*+ LOOKUP('table' = 'dim', 'retry-predicate' = 'lookup_miss') */
  FOR SYSTEM_TIME AS OF o.proc_time AS d
ON o.dim_id = d.id;
INSERT INTO sink SELECT /*+ SHUFFLE_HASH(a) */ * FROM a JOIN b ON a.k = b.k;
