#pragma once
// Hand-written, single-threaded reference loops for Nexmark queries: no engine, plain C++ over the
// generator's events. They are the test oracle for the engine and the benchmark's yardstick (the
// physical limit of a query on one core).
//
// Each loop computes the final result of the streaming query over the whole bounded input, with
// the semantics of Flink's nexmark SQL (see reference_queries.cc for each query).
#include <cstdint>
#include <string>
#include <vector>

#include "glint/connectors/nexmark/generator.h"

namespace glint::nexmark {

struct LoopResult {
  int64_t rows = 0;
  // Filled only when collecting: one CSV line per output row, without the trailing newline,
  // formatted as appendCsvRow formats that row (BIGINT as integer, DOUBLE shortest round-trip,
  // TIMESTAMP "YYYY-MM-DD HH:MM:SS.sss", strings RFC 4180-quoted when needed). Order unspecified.
  std::vector<std::string> lines;
};

// Queries with a reference loop: 0, 1, 2, 3, 4, 5, 7, 8.
bool hasReferenceQuery(int query);

// Output column names of a query's result, as in Flink's nexmark SQL (e.g. q3: name,city,state,id).
std::vector<std::string> referenceQueryColumns(int query);

// Runs query `query` over events [0, numEvents) of a generator with `config`. Throws GlintError
// for a query without a reference loop.
LoopResult runReferenceQuery(int query, const GeneratorConfig& config, int64_t numEvents,
                             bool collect);

// The same loops over explicit events (e.g. hand-built cases in tests).
LoopResult runReferenceQueryOnEvents(int query, const NexmarkEvents& events, bool collect);

}  // namespace glint::nexmark
