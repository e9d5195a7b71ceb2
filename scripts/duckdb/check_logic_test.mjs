// Cross-checks the expected rows of a SQL logic test file (tests/sql/logic/**/*.test) with
// DuckDB, for authors of .test files: expected values are computed by hand, and this gives a
// second, independent opinion on them.
//
//   node scripts/duckdb/check_logic_test.mjs tests/sql/logic/expressions/null_logic.test ...
//
// `file` records are written to a temporary directory; `CREATE TABLE ... WITH ('connector' =
// 'filesystem', 'path' = ..., 'format' = 'csv')` becomes a DuckDB table read from that CSV
// (computed columns included, WATERMARK and PRIMARY KEY ignored); CREATE VIEW runs as it is;
// other statements (SET, SHOW, DESCRIBE, EXPLAIN, expected errors) are not checked. Every query
// is run by DuckDB and compared with the record's rows the way the Glint runner compares them.
// Queries DuckDB cannot run (Flink-only syntax: window TVFs, ...) are listed as "not checked".
// Exits with status 1 when some query disagrees.
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';

const pad = (n, width) => String(n).padStart(width, '0');

function formatMicros(micros) {
  const millis = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  const d = new Date(Number(millis));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
         `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.` +
         `${pad(d.getUTCMilliseconds(), 3)}`;
}

function display(value, typeId) {
  if (value === null || value === undefined) return 'NULL';
  let text;
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN: text = value ? 'TRUE' : 'FALSE'; break;
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
      text = Number.isNaN(value) ? 'NaN' : value === Infinity ? 'Infinity'
           : value === -Infinity ? '-Infinity' : String(value);
      break;
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ: text = formatMicros(value.micros); break;
    case DuckDBTypeId.TIMESTAMP_MS: text = formatMicros(value.millis * 1000n); break;
    case DuckDBTypeId.TIMESTAMP_S: text = formatMicros(value.seconds * 1000000n); break;
    default: text = String(value);
  }
  return text === '' ? '(empty)' : text;
}

// The .test format (tests/sql/logic/README.md), only as far as this check needs it.
function parseRecords(text) {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const records = [];
  let i = 0;
  const body = (stopAtDashes) => {
    const out = [];
    let dashes = false;
    while (i < lines.length && lines[i].trim() !== '') {
      if (stopAtDashes && lines[i].trim() === '----') { dashes = true; ++i; break; }
      out.push(lines[i++]);
    }
    return { text: out.join('\n'), dashes };
  };
  let skip = false;
  while (i < lines.length) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) { ++i; continue; }
    const words = line.split(/\s+/);
    const header = i + 1;
    ++i;
    if (words[0] === 'skipif') { skip = skip || words[1] === 'glint'; continue; }
    if (words[0] === 'file') {
      records.push({ kind: 'file', path: words[1], body: body(false).text + '\n', line: header });
    } else if (words[0] === 'statement') {
      const b = body(true);
      if (b.dashes) body(false);
      records.push({ kind: words[1] === 'ok' ? 'ok' : 'error', sql: b.text, line: header });
    } else if (words[0] === 'query') {
      const sql = body(true).text;
      const expected = [];
      while (i < lines.length && lines[i].trim() !== '') expected.push(lines[i++]);
      records.push({ kind: 'query', types: words[1], sort: words[2] ?? 'nosort', sql, expected,
                     line: header, skip });
    }
    skip = false;
  }
  return records;
}

function splitRow(line, columns) {
  if (line.includes('\t')) return line.split('\t');
  if (line.includes(' | ')) return line.split(' | ').map((v) => v.trim());
  if (columns === 1) return [line];
  return line.trim().split(/\s+/);
}

function matches(type, expected, actual) {
  if (expected === actual) return true;
  if (type !== 'R') return false;
  const e = Number(expected), a = Number(actual);
  if (Number.isNaN(e) || Number.isNaN(a)) return false;
  return Math.abs(e - a) <= 1e-9 * Math.max(1, Math.abs(e), Math.abs(a));
}

const duckType = (flinkType) => {
  const t = flinkType.toUpperCase();
  if (t === 'STRING' || t.startsWith('VARCHAR') || t.startsWith('CHAR')) return 'VARCHAR';
  if (t.startsWith('TIMESTAMP_LTZ')) return 'TIMESTAMP';
  if (t.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (t === 'INT') return 'INTEGER';
  return t;
};

// Splits at commas outside parentheses and quotes.
function splitTopLevel(text) {
  const parts = [];
  let depth = 0, quote = false, start = 0;
  for (let k = 0; k < text.length; ++k) {
    const c = text[k];
    if (c === "'") quote = !quote;
    if (quote) continue;
    if (c === '(') ++depth;
    if (c === ')') --depth;
    if (c === ',' && depth === 0) { parts.push(text.slice(start, k)); start = k + 1; }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

// CREATE TABLE name (cols) WITH (... 'path' = 'p' ...) -> DuckDB statements, or null.
function translateCreateTable(sql) {
  const head = sql.match(/^\s*CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\(/i);
  if (!head) return null;
  let depth = 0, end = -1;
  for (let k = head[0].length - 1; k < sql.length; ++k) {
    if (sql[k] === '(') ++depth;
    if (sql[k] === ')' && --depth === 0) { end = k; break; }
  }
  const path = sql.slice(end).match(/'path'\s*=\s*'([^']*)'/);
  const format = sql.slice(end).match(/'format'\s*=\s*'([^']*)'/);
  if (!path || (format && format[1] !== 'csv')) return null;
  const physical = [], computed = [];
  for (const item of splitTopLevel(sql.slice(head[0].length, end))) {
    if (/^(WATERMARK|PRIMARY|CONSTRAINT)\b/i.test(item)) continue;
    const col = item.match(/^`?(\w+)`?\s+AS\s+([\s\S]+)$/i);
    if (col) { computed.push(`${col[2]} AS ${col[1]}`); continue; }
    const m = item.match(/^`?(\w+)`?\s+(.+?)(\s+NOT\s+NULL)?$/i);
    physical.push(`'${m[1]}': '${duckType(m[2])}'`);
  }
  return `CREATE OR REPLACE TABLE ${head[1]} AS SELECT *${computed.map((c) => ', ' + c).join('')} ` +
         `FROM read_csv('${path[1]}', header = false, nullstr = '', allow_quoted_nulls = false, ` +
         `timestampformat = '%Y-%m-%d %H:%M:%S.%g', columns = {${physical.join(', ')}})`;
}

async function checkFile(path, connection) {
  const tmp = mkdtempSync(join(tmpdir(), 'glint_check_'));
  const substitute = (t) => t.replaceAll('${TMP}', tmp);
  let disagreements = 0, agreed = 0;
  const unchecked = [];
  try {
    for (const r of parseRecords(readFileSync(path, 'utf8'))) {
      const where = `${path}:${r.line}`;
      if (r.kind === 'file') { writeFileSync(substitute(r.path), substitute(r.body)); continue; }
      if (r.kind === 'ok') {
        const sql = substitute(r.sql);
        const ddl = translateCreateTable(sql) ?? (/^\s*CREATE\s+(TEMPORARY\s+)?VIEW/i.test(sql)
            ? sql.replace(/TEMPORARY\s+/i, '') : null);
        if (ddl) {
          try { await connection.run(ddl); } catch (e) { unchecked.push(`${where}: ${e.message.split('\n')[0]}`); }
        }
        continue;
      }
      if (r.kind !== 'query') continue;
      let reader;
      try {
        reader = await connection.runAndReadAll(substitute(r.sql));
      } catch (e) {
        unchecked.push(`${where}: ${e.message.split('\n')[0]}`);
        continue;
      }
      const types = reader.columnTypes();
      if (types.length !== r.types.length) {
        ++disagreements;
        console.log(`${where}: the record declares ${r.types.length} columns, DuckDB returned ${types.length}`);
        continue;
      }
      let actual = reader.getRows().map((row) => row.map((v, c) => display(v, types[c].typeId)));
      let expected = r.expected.map((l) => splitRow(l, r.types.length));
      if (r.sort === 'valuesort') {
        actual = actual.flat().map((v) => [v]);
        expected = expected.flat().map((v) => [v]);
      }
      if (r.sort !== 'nosort') {
        const key = (row) => row.join('\u0001');
        actual.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
        expected.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      }
      const same = actual.length === expected.length && actual.every((row, k) =>
          row.length === expected[k].length &&
          row.every((v, c) => matches(r.sort === 'valuesort' ? 'T' : r.types[c], expected[k][c], v)));
      if (same) { ++agreed; continue; }
      ++disagreements;
      console.log(`${where}: DuckDB disagrees${r.skip ? ' (record skipped for Glint)' : ''}\n` +
                  `  expected:\n${expected.map((x) => '    ' + x.join(' | ')).join('\n')}\n` +
                  `  DuckDB:\n${actual.map((x) => '    ' + x.join(' | ')).join('\n')}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${path}: ${agreed} queries agree, ${disagreements} disagree, ` +
              `${unchecked.length} not checked`);
  for (const u of unchecked) console.log(`  not checked: ${u}`);
  return disagreements;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check_logic_test.mjs <file.test>...');
  process.exit(2);
}
let total = 0;
for (const file of files) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  total += await checkFile(file, connection);
}
process.exit(total > 0 ? 1 : 0);
