-- Nexmark q13: bounded side input join (lookup join)

-- Glint's nexmark connector: one table per event kind, generated events are the same whatever
-- the table (event i is a function of the seed and i). 'events.num' = '0' is unbounded.
-- Person and auction ids are unique (the generator numbers them), so these tables declare
-- PRIMARY KEY (id) NOT ENFORCED, which Flink's Nexmark DDL does not. With it a regular inner
-- join on id keeps one person/auction row per id and the other input's rows only until that
-- row arrives (src/glint/sql/README.md); a second row with the same id would fail the job.
CREATE TABLE person (
  id BIGINT, name STRING, emailAddress STRING, creditCard STRING, city STRING, state STRING,
  dateTime TIMESTAMP(3), extra STRING,
  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'nexmark', 'table' = 'person', 'events.num' = '10000000');

CREATE TABLE auction (
  id BIGINT, itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT,
  dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra STRING,
  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'nexmark', 'table' = 'auction', 'events.num' = '10000000');

CREATE TABLE bid (
  auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING,
  dateTime TIMESTAMP(3), extra STRING,
  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
) WITH ('connector' = 'nexmark', 'table' = 'bid', 'events.num' = '10000000');

-- The bounded side input (Flink's Nexmark: keys 0..9999 with string values), looked up per bid.
-- data/side_input.csv holds `key,value` lines, value = 'v' || key; it was generated with
--   seq 0 9999 | awk '{print $1 ",v" $1}' > queries/nexmark/data/side_input.csv
-- The path is relative to the repository root: run `glint sql -f queries/nexmark/q13.sql` there.
CREATE TABLE side_input (
  key BIGINT, value STRING
) WITH ('connector' = 'filesystem', 'path' = 'queries/nexmark/data/side_input.csv', 'format' = 'csv');

CREATE TABLE nexmark_q13 (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), value STRING) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q13
SELECT B.auction, B.bidder, B.price, B.dateTime, S.value
FROM (SELECT *, PROCTIME() AS p_time FROM bid) B
JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S
ON MOD(B.auction, 10000) = S.key;
