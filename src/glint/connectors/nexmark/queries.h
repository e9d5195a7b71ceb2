#pragma once
// Nexmark queries written with the DataStream API, with the semantics and output columns of
// the SQL versions in Flink's Nexmark suite (see docs/nexmark.md).
#include <optional>
#include <string>
#include <vector>

#include "glint/api/data_stream.h"
#include "glint/connectors/nexmark/nexmark_source.h"

namespace glint::nexmark {

// The three event streams of the auction model, with event timestamps and watermarks.
struct NexmarkStreams {
  std::optional<DataStream> person;
  std::optional<DataStream> auction;
  std::optional<DataStream> bid;
};

// Queries implemented here.
const std::vector<int>& supportedQueries();
// The event kinds a query reads; the first is the one its main pipeline starts from.
std::vector<EventKind> queryInputs(int query);
// True when the query's result is an updating (changelog) stream.
bool isUpdatingQuery(int query);
SchemaPtr queryOutputSchema(int query);

// Streams from the in-memory generator (one source, the kinds the query needs).
NexmarkStreams generatorStreams(StreamExecutionEnvironment& env, int query,
                                NexmarkSourceOptions options);
// Streams from person.csv / auction.csv / bid.csv in `dir` (as written by
// `glint nexmark generate`), with the same 4 s watermark delay.
Result<NexmarkStreams> fileStreams(StreamExecutionEnvironment& env, int query,
                                   const std::string& dir);

// Adds the query to the environment's graph and returns its result stream.
Result<DataStream> buildQuery(int query, const NexmarkStreams& streams);

}  // namespace glint::nexmark
