#pragma once
// The datagen source: rows of a schema with random or sequence values, optionally rate
// limited, bounded (a number of rows, or the end of a sequence field) or unbounded. Options
// use Flink's names:
//   rows-per-second (default 10000; 0 = unlimited), number-of-rows (default: unbounded),
//   fields.<col>.kind = random | sequence,
//   fields.<col>.min / .max (random numbers), .length (random strings, default 100),
//   fields.<col>.start / .end (sequence), .null-rate (0..1), .max-past (random timestamps:
//   now minus up to this duration, in ms or with a unit).
// Row r (0-based, over all subtasks) goes to subtask r % parallelism and its random values are
// a function of (seed, r, column): the same rows whatever the parallelism.
#include <map>
#include <string>
#include <vector>

#include "glint/runtime/operator.h"

namespace glint {

struct DatagenField {
  enum class Kind { kRandom, kSequence };
  Kind kind = Kind::kRandom;
  int64_t min = 0, max = 1000000;      // random integers (inclusive); doubles use [min, max)
  int64_t start = 0, end = INT64_MAX;  // sequence (inclusive)
  int length = 100;                    // random strings
  double nullRate = 0;
  int64_t maxPastMillis = 0;  // random timestamps
};

struct DatagenOptions {
  double rowsPerSecond = 10000;
  int64_t numberOfRows = -1;  // -1: unbounded unless a sequence field ends
  uint64_t seed = 1;
  std::vector<DatagenField> fields;  // one per schema column

  // Reads Flink's option names (see above); an unknown option, column or value is an error
  // that names the option.
  static Result<DatagenOptions> fromOptions(const Schema& schema,
                                            const std::map<std::string, std::string>& options);
  // Rows the source will produce in total (-1: unbounded).
  int64_t totalRows() const;
};

class DatagenSource final : public SourceOperator {
 public:
  DatagenSource(SchemaPtr schema, DatagenOptions options)
      : schema_(std::move(schema)), options_(std::move(options)) {}
  void initializeState(OperatorRestoreState&& state) override;
  void open() override;
  PollResult pollNext(int64_t* wakeAtNanos) override;
  // Checkpointed: the row stripes this subtask generates (rows index + k * count from next).
  void snapshotState(const CheckpointBarrier& barrier, const SnapshotLocation& location,
                     OperatorSnapshot& snapshot) override;

 private:
  struct Stripe {
    int64_t count = 1;
    int64_t next = 0;
  };
  void appendRow(int64_t row, Batch& batch);
  bool restored_ = false;
  std::vector<Stripe> stripes_;
  SchemaPtr schema_;
  DatagenOptions options_;
  int64_t total_ = -1;
  int64_t emitted_ = 0;
  int64_t startNanos_ = 0;
  std::string scratch_;
};

}  // namespace glint
