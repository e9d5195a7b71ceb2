-- Nexmark q18: last bid of each bidder per auction (deduplication)

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

CREATE TABLE nexmark_q18 (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, dateTime TIMESTAMP(3), extra STRING) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q18
SELECT auction, bidder, price, channel, url, dateTime, extra
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY dateTime DESC) AS rank_number
  FROM bid
)
WHERE rank_number <= 1;
