// DuckDB as the reference engine of Glint's SQL differential tests
// (tests/sql/differential/). Usage:
//
//   node scripts/duckdb/run_query.mjs spec.json        (or the spec on stdin: "-")
//
// spec.json:
//   { "tables":  [ { "name": "t", "path": "/tmp/t.csv",
//                    "columns": [ { "name": "id", "type": "BIGINT" }, ... ] } ],
//     "queries": [ { "name": "q1", "sql": "SELECT ..." } ] }
//
// Each CSV file is headerless RFC 4180, as Glint's CSV writer writes it: an empty unquoted field
// is NULL, a quoted "" is the empty string. Prints one JSON object to stdout:
//   { "results": [ { "name": "q1", "columns": [...], "types": [...], "rows": [[...], ...] }
//                | { "name": "q2", "error": "..." } ] }
// Every value is a string in the canonical form Glint prints (or null for NULL): integers in
// decimal, doubles as the shortest text that round-trips, booleans TRUE/FALSE, timestamps
// "YYYY-MM-DD HH:MM:SS.sss", dates "YYYY-MM-DD". A failing query is reported, not fatal; a bad
// spec or a table that cannot be loaded exits with status 2.
import { readFileSync } from 'node:fs';
import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';

function fail(message) {
  process.stderr.write(`run_query.mjs: ${message}\n`);
  process.exit(2);
}

function quoteIdentifier(name) {
  return '"' + String(name).replaceAll('"', '""') + '"';
}

function quoteLiteral(text) {
  return "'" + String(text).replaceAll("'", "''") + "'";
}

const pad = (n, width) => String(n).padStart(width, '0');

// Microseconds since the epoch -> "YYYY-MM-DD HH:MM:SS.sss" (UTC, milliseconds floored, as
// Glint keeps TIMESTAMP(3)).
function formatMicros(micros) {
  const millis = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  const date = new Date(Number(millis));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-` +
         `${pad(date.getUTCDate(), 2)} ${pad(date.getUTCHours(), 2)}:` +
         `${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.` +
         `${pad(date.getUTCMilliseconds(), 3)}`;
}

function formatDouble(value) {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return String(value);
}

function canonical(value, typeId) {
  if (value === null || value === undefined) return null;
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN:
      return value ? 'TRUE' : 'FALSE';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return formatDouble(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return formatMicros(value.micros);
    case DuckDBTypeId.TIMESTAMP_MS:
      return formatMicros(value.millis * 1000n);
    case DuckDBTypeId.TIMESTAMP_S:
      return formatMicros(value.seconds * 1000000n);
    default:
      // Integers of every width (bigint or number), DECIMAL, VARCHAR, DATE: their own text.
      return String(value);
  }
}

async function main() {
  const specPath = process.argv[2];
  if (!specPath) fail('usage: node run_query.mjs <spec.json | ->');
  let spec;
  try {
    spec = JSON.parse(readFileSync(specPath === '-' ? 0 : specPath, 'utf8'));
  } catch (error) {
    fail(`cannot read the spec ${specPath}: ${error.message}`);
  }
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  // Timestamps are zone-less in both engines; keep DuckDB's session zone out of the way.
  await connection.run("SET TimeZone = 'UTC'");

  for (const table of spec.tables ?? []) {
    const columns = table.columns
        .map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`)
        .join(', ');
    const sql = `CREATE TABLE ${quoteIdentifier(table.name)} AS SELECT * FROM read_csv(` +
                `${quoteLiteral(table.path)}, header = false, delim = ',', quote = '"', ` +
                `escape = '"', nullstr = '', allow_quoted_nulls = false, ` +
                `timestampformat = '%Y-%m-%d %H:%M:%S.%g', columns = {${columns}})`;
    try {
      await connection.run(sql);
    } catch (error) {
      fail(`cannot load table ${table.name} from ${table.path}: ${error.message}`);
    }
  }

  const results = [];
  for (const query of spec.queries ?? []) {
    try {
      const reader = await connection.runAndReadAll(query.sql);
      const types = reader.columnTypes();
      const rows = reader.getRows().map(
          (row) => row.map((value, i) => canonical(value, types[i].typeId)));
      results.push({
        name: query.name,
        columns: reader.columnNames(),
        types: types.map((t) => t.toString()),
        rows,
      });
    } catch (error) {
      results.push({ name: query.name, error: error.message });
    }
  }
  process.stdout.write(JSON.stringify({ results }) + '\n');
}

main().catch((error) => fail(error.stack ?? String(error)));
