#pragma once
// Writes a Nexmark event stream to CSV files, one per event kind.
#include <cstdint>
#include <string>

#include "glint/common/status.h"
#include "glint/connectors/nexmark/generator.h"

namespace glint::nexmark {

// Writes events [0, numEvents) to `dir`/person.csv, auction.csv and bid.csv (creating `dir`):
// a header row of the field names (personSchema() etc.), then one row per event of that kind in
// index order, timestamps as "YYYY-MM-DD HH:MM:SS.sss" UTC, RFC 4180 quoting. Errors name the path.
Status writeNexmarkCsv(const GeneratorConfig& config, int64_t numEvents, const std::string& dir);

}  // namespace glint::nexmark
