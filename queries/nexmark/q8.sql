-- Nexmark q8: new users who opened an auction in the same window

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

CREATE TABLE nexmark_q8 (id BIGINT, name STRING, stime TIMESTAMP(3)) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q8
SELECT P.id, P.name, P.starttime
FROM (
  SELECT id, name, window_start AS starttime, window_end AS endtime
  FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
  GROUP BY id, name, window_start, window_end
) P
JOIN (
  SELECT seller, window_start AS starttime, window_end AS endtime
  FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
  GROUP BY seller, window_start, window_end
) A
ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime;
