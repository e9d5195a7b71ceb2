// Statements: DDL (CREATE TABLE/VIEW/FUNCTION, DROP), the SQL client's statements (SET, RESET,
// SHOW, DESCRIBE, USE, EXPLAIN), INSERT and statement sets, and scripts of several statements.
#include "tests/sql/parser/parser_test_util.h"

namespace glint::sql {
namespace {

using testing::printStatement;

template <class T>
const T& parseAs(std::string_view sql, StatementPtr& holder) {
  auto parsed = parseStatement(sql);
  EXPECT_TRUE(parsed.isOk()) << parsed.error().render(sql);
  holder = std::move(parsed).value();
  return holder->as<T>();
}

TEST(ParserStatement, CreateTableWithEveryKindOfElement) {
  const char* sql = R"(CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.orders (
      id BIGINT NOT NULL COMMENT 'the id',
      price DECIMAL(10, 2),
      ts TIMESTAMP(3),
      total AS price * 2,
      `offset` BIGINT METADATA FROM 'offset' VIRTUAL,
      headers MAP<STRING, BYTES> METADATA,
      WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
      CONSTRAINT pk PRIMARY KEY (id) NOT ENFORCED
    ) COMMENT 'orders' PARTITIONED BY (ts) WITH ('connector' = 'datagen', 'rows-per-second' = '5'))";
  StatementPtr holder;
  const auto& create = parseAs<CreateTableStatement>(sql, holder);
  EXPECT_EQ(create.name.toString(), "cat.db.orders");
  EXPECT_TRUE(create.temporary);
  EXPECT_TRUE(create.ifNotExists);
  ASSERT_EQ(create.columns.size(), 6u);
  EXPECT_EQ(create.columns[0].name.name, "id");
  EXPECT_EQ(create.columns[0].columnKind, ColumnKind::kPhysical);
  EXPECT_EQ(create.columns[0].type->name, TypeName::kBigInt);
  EXPECT_TRUE(create.columns[0].type->notNull);
  EXPECT_EQ(create.columns[0].comment, "the id");
  EXPECT_EQ(create.columns[1].type->precision, 10);
  EXPECT_EQ(create.columns[1].type->scale, 2);
  EXPECT_EQ(create.columns[3].columnKind, ColumnKind::kComputed);
  EXPECT_EQ(toString(*create.columns[3].expression), "price * 2");
  EXPECT_EQ(create.columns[4].columnKind, ColumnKind::kMetadata);
  EXPECT_EQ(create.columns[4].metadataKey, "offset");
  EXPECT_TRUE(create.columns[4].isVirtual);
  EXPECT_EQ(create.columns[5].columnKind, ColumnKind::kMetadata);
  EXPECT_FALSE(create.columns[5].metadataKey.has_value());
  ASSERT_TRUE(create.watermark.has_value());
  EXPECT_EQ(create.watermark->column.name, "ts");
  EXPECT_EQ(toString(*create.watermark->expression), "ts - INTERVAL '5' SECOND");
  ASSERT_TRUE(create.primaryKey.has_value());
  EXPECT_EQ(create.primaryKey->constraintName->name, "pk");
  ASSERT_EQ(create.primaryKey->columns.size(), 1u);
  EXPECT_EQ(create.comment, "orders");
  ASSERT_EQ(create.partitionedBy.size(), 1u);
  ASSERT_EQ(create.options.size(), 2u);
  EXPECT_EQ(create.options[0].key, "connector");
  EXPECT_EQ(create.options[0].value, "datagen");
  EXPECT_EQ(create.options[1].key, "rows-per-second");
  EXPECT_EQ(printStatement(sql),
            "CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.orders (id BIGINT NOT NULL COMMENT "
            "'the id', price DECIMAL(10, 2), ts TIMESTAMP(3), total AS price * 2, `offset` "
            "BIGINT METADATA FROM 'offset' VIRTUAL, headers MAP<STRING, BYTES> METADATA, "
            "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND, CONSTRAINT pk PRIMARY KEY (id) NOT "
            "ENFORCED) COMMENT 'orders' PARTITIONED BY (ts) WITH ('connector' = 'datagen', "
            "'rows-per-second' = '5')");
}

TEST(ParserStatement, CreateTableVariants) {
  // A column-level primary key is the same as the table-level one.
  EXPECT_EQ(printStatement("CREATE TABLE t (id INT PRIMARY KEY NOT ENFORCED, v STRING) WITH "
                           "('connector' = 'print')"),
            "CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = "
            "'print')");
  EXPECT_EQ(printStatement("CREATE TABLE t WITH ('connector' = 'blackhole') AS SELECT * FROM s"),
            "CREATE TABLE t WITH ('connector' = 'blackhole') AS SELECT * FROM s");
  EXPECT_EQ(printStatement("CREATE TABLE t (a INT)"), "CREATE TABLE t (a INT)");
  EXPECT_EQ(printStatement("create table t (a int) with ()"), "CREATE TABLE t (a INT)");
  EXPECT_EQ(printStatement("CREATE TABLE t (`key` INT, key2 INT) WITH ('k' = 'it''s')"),
            "CREATE TABLE t (key INT, key2 INT) WITH ('k' = 'it''s')");
}

TEST(ParserStatement, DataTypes) {
  struct Case {
    const char* sql;
    const char* printed;
  };
  const Case cases[] = {
      {"BOOLEAN", "BOOLEAN"},
      {"TINYINT", "TINYINT"},
      {"SMALLINT", "SMALLINT"},
      {"INT", "INT"},
      {"INTEGER", "INT"},
      {"BIGINT", "BIGINT"},
      {"FLOAT", "FLOAT"},
      {"REAL", "FLOAT"},
      {"DOUBLE", "DOUBLE"},
      {"DOUBLE PRECISION", "DOUBLE"},
      {"DECIMAL", "DECIMAL"},
      {"DECIMAL(10)", "DECIMAL(10)"},
      {"NUMERIC(23, 3)", "DECIMAL(23, 3)"},
      {"DEC(5,1)", "DECIMAL(5, 1)"},
      {"CHAR(3)", "CHAR(3)"},
      {"CHARACTER VARYING(7)", "VARCHAR(7)"},
      {"VARCHAR", "VARCHAR"},
      {"VARCHAR(100)", "VARCHAR(100)"},
      {"STRING", "STRING"},
      {"BINARY(4)", "BINARY(4)"},
      {"VARBINARY(8)", "VARBINARY(8)"},
      {"BYTES", "BYTES"},
      {"DATE", "DATE"},
      {"TIME", "TIME"},
      {"TIME(3) WITHOUT TIME ZONE", "TIME(3)"},
      {"TIMESTAMP", "TIMESTAMP"},
      {"TIMESTAMP(3)", "TIMESTAMP(3)"},
      {"TIMESTAMP(9) WITHOUT TIME ZONE", "TIMESTAMP(9)"},
      {"TIMESTAMP_LTZ(3)", "TIMESTAMP_LTZ(3)"},
      {"TIMESTAMP(3) WITH LOCAL TIME ZONE", "TIMESTAMP_LTZ(3)"},
      {"TIMESTAMP WITH LOCAL TIME ZONE", "TIMESTAMP_LTZ"},
      {"ARRAY<INT>", "ARRAY<INT>"},
      {"ARRAY<ARRAY<STRING NOT NULL>>", "ARRAY<ARRAY<STRING NOT NULL>>"},
      {"MULTISET<STRING>", "MULTISET<STRING>"},
      {"MAP<STRING, ARRAY<INT>>", "MAP<STRING, ARRAY<INT>>"},
      {"ROW<a INT, `b c` STRING 'doc'>", "ROW<a INT, `b c` STRING 'doc'>"},
      {"ROW(a INT, b ROW<c DOUBLE>)", "ROW<a INT, b ROW<c DOUBLE>>"},
      {"ROW<>", "ROW<>"},
      {"INT NOT NULL", "INT NOT NULL"},
      {"INT NULL", "INT"},
      {"bigint not null", "BIGINT NOT NULL"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    auto parsed = parseDataType(c.sql);
    ASSERT_TRUE(parsed.isOk()) << parsed.error().render(c.sql);
    EXPECT_EQ(toString(parsed.value()), c.printed);
    auto again = parseDataType(toString(parsed.value()));
    ASSERT_TRUE(again.isOk());
    EXPECT_TRUE(equals(parsed.value(), again.value()));
  }
  auto map = parseDataType("MAP<STRING, INT NOT NULL> NOT NULL");
  ASSERT_TRUE(map.isOk());
  EXPECT_EQ(map.value().name, TypeName::kMap);
  EXPECT_TRUE(map.value().notNull);
  ASSERT_EQ(map.value().parameters.size(), 2u);
  EXPECT_EQ(map.value().parameters[0].name, TypeName::kString);
  EXPECT_TRUE(map.value().parameters[1].notNull);
  auto row = parseDataType("ROW<x TIMESTAMP(3), y VARCHAR(2)>");
  ASSERT_TRUE(row.isOk());
  ASSERT_EQ(row.value().fields.size(), 2u);
  EXPECT_EQ(row.value().fields[0].name.name, "x");
  EXPECT_EQ(row.value().fields[0].type.precision, 3);
  EXPECT_EQ(row.value().fields[1].type.name, TypeName::kVarchar);
}

TEST(ParserStatement, CreateViewAndFunction) {
  EXPECT_EQ(printStatement("CREATE VIEW v AS SELECT a FROM t"), "CREATE VIEW v AS SELECT a FROM t");
  EXPECT_EQ(printStatement("CREATE TEMPORARY VIEW IF NOT EXISTS v (x, y) COMMENT 'c' AS SELECT a, "
                           "b FROM t"),
            "CREATE TEMPORARY VIEW IF NOT EXISTS v (x, y) COMMENT 'c' AS SELECT a, b FROM t");
  StatementPtr holder;
  const auto& view = parseAs<CreateViewStatement>("CREATE VIEW db.v (c) AS VALUES (1)", holder);
  EXPECT_EQ(view.name.toString(), "db.v");
  ASSERT_EQ(view.columns.size(), 1u);
  EXPECT_EQ(view.query->body->kind, QueryBodyKind::kValues);
  EXPECT_EQ(printStatement("CREATE FUNCTION f AS 'com.example.F'"),
            "CREATE FUNCTION f AS 'com.example.F'");
  EXPECT_EQ(printStatement("create temporary system function if not exists f as 'x.F' language "
                           "java"),
            "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS f AS 'x.F' LANGUAGE JAVA");
  const auto& function = parseAs<CreateFunctionStatement>(
      "CREATE TEMPORARY FUNCTION g AS 'a.G' LANGUAGE PYTHON", holder);
  EXPECT_TRUE(function.temporary);
  EXPECT_FALSE(function.system);
  EXPECT_EQ(function.className, "a.G");
  EXPECT_EQ(function.language, "PYTHON");
}

TEST(ParserStatement, Drop) {
  EXPECT_EQ(printStatement("DROP TABLE t"), "DROP TABLE t");
  EXPECT_EQ(printStatement("drop table if exists cat.db.t"), "DROP TABLE IF EXISTS cat.db.t");
  EXPECT_EQ(printStatement("DROP TEMPORARY VIEW v"), "DROP TEMPORARY VIEW v");
  EXPECT_EQ(printStatement("DROP TEMPORARY SYSTEM FUNCTION IF EXISTS f"),
            "DROP TEMPORARY SYSTEM FUNCTION IF EXISTS f");
  StatementPtr holder;
  const auto& drop = parseAs<DropStatement>("DROP VIEW IF EXISTS v", holder);
  EXPECT_EQ(drop.objectKind, ObjectKind::kView);
  EXPECT_TRUE(drop.ifExists);
  EXPECT_FALSE(drop.temporary);
}

TEST(ParserStatement, ClientStatements) {
  EXPECT_EQ(printStatement("SHOW TABLES"), "SHOW TABLES");
  EXPECT_EQ(printStatement("show views"), "SHOW VIEWS");
  EXPECT_EQ(printStatement("SHOW FUNCTIONS"), "SHOW FUNCTIONS");
  EXPECT_EQ(printStatement("SHOW CATALOGS"), "SHOW CATALOGS");
  EXPECT_EQ(printStatement("SHOW DATABASES"), "SHOW DATABASES");
  EXPECT_EQ(printStatement("SHOW CURRENT CATALOG"), "SHOW CURRENT CATALOG");
  EXPECT_EQ(printStatement("SHOW CURRENT DATABASE"), "SHOW CURRENT DATABASE");
  EXPECT_EQ(printStatement("SHOW JOBS"), "SHOW JOBS");
  EXPECT_EQ(printStatement("show create table cat.db.t"), "SHOW CREATE TABLE cat.db.t");
  EXPECT_EQ(printStatement("SHOW CREATE VIEW v"), "SHOW CREATE VIEW v");
  EXPECT_EQ(printStatement("DESCRIBE orders"), "DESCRIBE orders");
  EXPECT_EQ(printStatement("DESC cat.db.orders"), "DESCRIBE cat.db.orders");
  EXPECT_EQ(printStatement("USE CATALOG c"), "USE CATALOG c");
  EXPECT_EQ(printStatement("USE db"), "USE db");
  EXPECT_EQ(printStatement("USE catalog"), "USE catalog");
  EXPECT_EQ(printStatement("SET 'execution.runtime-mode' = 'batch'"),
            "SET 'execution.runtime-mode' = 'batch'");
  EXPECT_EQ(printStatement("SET"), "SET");
  EXPECT_EQ(printStatement("RESET 'table.exec.state.ttl'"), "RESET 'table.exec.state.ttl'");
  EXPECT_EQ(printStatement("RESET"), "RESET");
  StatementPtr holder;
  const auto& set = parseAs<SetStatement>("SET 'execution.runtime-mode' = 'streaming';", holder);
  EXPECT_EQ(set.key, "execution.runtime-mode");
  EXPECT_EQ(set.value, "streaming");
  const auto& show = parseAs<ShowStatement>("SHOW FUNCTIONS", holder);
  EXPECT_EQ(show.object, ShowObject::kFunctions);
  const auto& showCreate = parseAs<ShowStatement>("SHOW CREATE VIEW db.v", holder);
  EXPECT_EQ(showCreate.object, ShowObject::kCreateView);
  EXPECT_EQ(showCreate.name.toString(), "db.v");
}

TEST(ParserStatement, Explain) {
  EXPECT_EQ(printStatement("EXPLAIN SELECT * FROM t"), "EXPLAIN SELECT * FROM t");
  EXPECT_EQ(printStatement("EXPLAIN PLAN FOR SELECT * FROM t"), "EXPLAIN SELECT * FROM t");
  EXPECT_EQ(printStatement("EXPLAIN CHANGELOG_MODE, ESTIMATED_COST INSERT INTO s SELECT * FROM t"),
            "EXPLAIN CHANGELOG_MODE, ESTIMATED_COST INSERT INTO s SELECT * FROM t");
  EXPECT_EQ(printStatement("EXPLAIN STATEMENT SET BEGIN INSERT INTO s SELECT 1; END"),
            "EXPLAIN EXECUTE STATEMENT SET BEGIN INSERT INTO s SELECT 1; END");
  StatementPtr holder;
  const auto& explain =
      parseAs<ExplainStatement>("EXPLAIN JSON_EXECUTION_PLAN, PLAN_ADVICE SELECT 1", holder);
  ASSERT_EQ(explain.details.size(), 2u);
  EXPECT_EQ(explain.details[0], ExplainDetail::kJsonExecutionPlan);
  EXPECT_EQ(explain.details[1], ExplainDetail::kPlanAdvice);
  EXPECT_EQ(explain.statement->kind, StatementKind::kQuery);
}

TEST(ParserStatement, InsertAndStatementSets) {
  EXPECT_EQ(printStatement("INSERT INTO s SELECT * FROM t"), "INSERT INTO s SELECT * FROM t");
  EXPECT_EQ(printStatement("INSERT INTO s (a, b) SELECT x, y FROM t"),
            "INSERT INTO s (a, b) SELECT x, y FROM t");
  EXPECT_EQ(printStatement("INSERT INTO s (SELECT 1)"), "INSERT INTO s (SELECT 1)");
  EXPECT_EQ(printStatement("INSERT OVERWRITE db.s PARTITION (dt = '2024-01-01', h = 3) VALUES (1)"),
            "INSERT OVERWRITE db.s PARTITION (dt = '2024-01-01', h = 3) VALUES (1)");
  EXPECT_EQ(printStatement("EXECUTE INSERT INTO s VALUES (1)"), "INSERT INTO s VALUES (1)");
  const char* set =
      "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END";
  EXPECT_EQ(printStatement(set), set);
  StatementPtr holder;
  const auto& insert = parseAs<InsertStatement>("INSERT INTO s (x) SELECT 1", holder);
  EXPECT_EQ(insert.target.toString(), "s");
  EXPECT_FALSE(insert.overwrite);
  ASSERT_EQ(insert.columns.size(), 1u);
  const auto& parsedSet = parseAs<StatementSetStatement>(set, holder);
  ASSERT_EQ(parsedSet.inserts.size(), 2u);
  EXPECT_EQ(parsedSet.inserts[1]->target.toString(), "b");
}

TEST(ParserStatement, ScriptOfStatements) {
  const char* script = R"(
    -- the SQL client's form of a statement set spans several ';'
    SET 'execution.runtime-mode' = 'streaming';
    CREATE TABLE src (a INT) WITH ('connector' = 'datagen');;
    BEGIN STATEMENT SET;
    INSERT INTO x SELECT a FROM src;
    INSERT INTO y SELECT a * 2 FROM src;
    END;
    /* trailing comment */ SELECT 1
  )";
  auto parsed = parseStatements(script);
  ASSERT_TRUE(parsed.isOk()) << parsed.error().render(script);
  const auto& statements = parsed.value();
  ASSERT_EQ(statements.size(), 4u);
  EXPECT_EQ(statements[0]->kind, StatementKind::kSet);
  EXPECT_EQ(statements[1]->kind, StatementKind::kCreateTable);
  ASSERT_EQ(statements[2]->kind, StatementKind::kStatementSet);
  EXPECT_EQ(statements[2]->as<StatementSetStatement>().inserts.size(), 2u);
  EXPECT_EQ(statements[3]->kind, StatementKind::kQuery);
  // Statement spans cover the statement without its ';'.
  std::string_view sql = script;
  EXPECT_EQ(sql.substr(statements[0]->span.offset, statements[0]->span.length),
            "SET 'execution.runtime-mode' = 'streaming'");
  EXPECT_EQ(statements[0]->span.line, 3);
  EXPECT_EQ(statements[3]->span.line, 9);
  auto empty = parseStatements("  -- nothing\n ; ;");
  ASSERT_TRUE(empty.isOk());
  EXPECT_TRUE(empty.value().empty());
}

TEST(ParserStatement, SingleStatementRejectsScripts) {
  auto parsed = parseStatement("SELECT 1; SELECT 2");
  ASSERT_FALSE(parsed.isOk());
  EXPECT_EQ(parsed.error().column, 11);
  EXPECT_TRUE(parseStatement("SELECT 1;").isOk());
  EXPECT_TRUE(parseStatement("SELECT 1;;").isOk());
}

}  // namespace
}  // namespace glint::sql

namespace glint::sql {
namespace {

TEST(ParserStatement, CompleteStatementsForTheClient) {
  EXPECT_FALSE(isCompleteStatement(""));
  EXPECT_FALSE(isCompleteStatement("SELECT 1"));
  EXPECT_TRUE(isCompleteStatement("SELECT 1;"));
  EXPECT_TRUE(isCompleteStatement("SELECT 1;  -- done\n"));
  EXPECT_FALSE(isCompleteStatement("SELECT 1; SELECT"));
  EXPECT_FALSE(isCompleteStatement("SELECT 'a;"));
  EXPECT_TRUE(isCompleteStatement("SELECT 'a;';"));
  EXPECT_FALSE(isCompleteStatement("SELECT 1 /* ; */"));
  EXPECT_FALSE(isCompleteStatement("SELECT 1 /* ;"));
  EXPECT_FALSE(isCompleteStatement("SELECT 1 -- ;"));
  EXPECT_FALSE(isCompleteStatement("SELECT `a;"));
  EXPECT_TRUE(isCompleteStatement("SELECT # FROM t;"));  // the parser reports the '#'
  EXPECT_FALSE(isCompleteStatement("BEGIN STATEMENT SET;"));
  EXPECT_FALSE(isCompleteStatement("BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;"));
  EXPECT_FALSE(isCompleteStatement(
      "BEGIN STATEMENT SET;\nINSERT INTO a SELECT CASE WHEN x THEN 1 END FROM t;"));
  EXPECT_TRUE(isCompleteStatement("BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\nEND;"));
  EXPECT_FALSE(isCompleteStatement("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1;"));
  EXPECT_TRUE(isCompleteStatement("EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END;"));
  EXPECT_TRUE(isCompleteStatement("SET 'a' = 'b';"));
}

}  // namespace
}  // namespace glint::sql
