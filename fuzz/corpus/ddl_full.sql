CREATE TEMPORARY TABLE IF NOT EXISTS orders (
  order_id BIGINT NOT NULL COMMENT 'unique per order',
  customer STRING,
  amount DECIMAL(10, 2),
  currency CHAR(3),
  tags ARRAY<STRING>,
  attributes MAP<STRING, INT NOT NULL>,
  address ROW<street VARCHAR(100), city STRING 'the city', zip INT>,
  payload BYTES,
  ratio DOUBLE PRECISION,
  flag BOOLEAN,
  small TINYINT, medium SMALLINT, big INTEGER, f FLOAT, r REAL,
  d DATE, t TIME(3), ts TIMESTAMP(3) WITHOUT TIME ZONE,
  ltz TIMESTAMP_LTZ(3), ltz2 TIMESTAMP(6) WITH LOCAL TIME ZONE,
  kafka_offset BIGINT METADATA FROM 'offset' VIRTUAL,
  event_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  headers MAP<STRING, BYTES> METADATA,
  total AS amount * 2 COMMENT 'computed',
  proc AS PROCTIME(),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
  CONSTRAINT pk PRIMARY KEY (order_id) NOT ENFORCED
) COMMENT 'all orders'
PARTITIONED BY (currency)
WITH (
  'connector' = 'datagen',
  'rows-per-second' = '100',
  'fields.order_id.kind' = 'sequence',
  'fields.order_id.start' = '1',
  'fields.order_id.end' = '1000'
);
CREATE TABLE print_sink (id INT PRIMARY KEY NOT ENFORCED, name STRING) WITH ('connector' = 'print');
CREATE TABLE copy_of_orders WITH ('connector' = 'blackhole') AS SELECT * FROM orders;
CREATE VIEW IF NOT EXISTS big_orders (id, total) COMMENT 'large ones' AS
  SELECT order_id, amount FROM orders WHERE amount > 1000;
CREATE TEMPORARY VIEW v AS VALUES (1, 'a'), (2, 'b');
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS my_udf AS 'com.example.MyUdf' LANGUAGE JAVA;
DROP TABLE IF EXISTS orders;
DROP TEMPORARY VIEW big_orders;
DROP TEMPORARY SYSTEM FUNCTION my_udf;
DROP FUNCTION cat.db.f;
