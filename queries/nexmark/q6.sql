-- Nexmark q6: average selling price per seller (over the seller's last closed auctions;
-- OVER window)
--
-- Flink's text of q6 does not bind: it selects B.dateTime, which its GROUP BY A.id, A.seller
-- does not group. Here the window is ordered by the time each auction closes, A.expires (a
-- grouped column), auctions closing at the same millisecond by id (so the answer does not
-- depend on arrival order); the frame is Flink's, the auction and the 10 closed before it.
-- Flink's Nexmark marks q6 unsupported in streaming mode: the OVER aggregation would read the
-- updating result of a GROUP BY (its maximum bid changes as bids arrive), and a streaming OVER
-- aggregation needs an insert-only input, in Flink and in Glint. In batch mode the GROUP BY's
-- rows are final before the OVER window reads them, so this file runs in batch mode.
SET 'execution.runtime-mode' = 'batch';

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

CREATE TABLE nexmark_q6 (seller BIGINT, avg_price BIGINT) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q6
SELECT Q.seller, AVG(Q.final) OVER (PARTITION BY Q.seller ORDER BY Q.dateTime, Q.id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)
FROM (
  SELECT MAX(B.price) AS final, A.id, A.seller, A.expires AS dateTime
  FROM auction AS A, bid AS B
  WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
  GROUP BY A.id, A.seller, A.expires
) AS Q;
