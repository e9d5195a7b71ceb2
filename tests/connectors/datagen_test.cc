#include <gtest/gtest.h>

#include "glint/api/data_stream.h"
#include "glint/connectors/datagen/datagen_source.h"
#include "glint/connectors/sinks/basic_sinks.h"

namespace glint {
namespace {

SchemaPtr schema() {
  return makeSchema({{"id", TypeId::kBigint},
                     {"score", TypeId::kDouble},
                     {"name", TypeId::kVarchar},
                     {"flag", TypeId::kBoolean}});
}

std::vector<std::string> run(int parallelism, const std::map<std::string, std::string>& options) {
  auto parsed = DatagenOptions::fromOptions(*schema(), options);
  EXPECT_TRUE(parsed.isOk()) << parsed.status().toString();
  JobConfig config;
  config.parallelism = parallelism;
  config.batchSize = 100;
  StreamExecutionEnvironment env(config);
  auto rows = std::make_shared<CollectedRows>();
  DatagenOptions o = *parsed;
  env.fromSource("datagen", schema(), [o] { return std::make_unique<DatagenSource>(schema(), o); })
      .sinkTo("collect", [rows] { return std::make_unique<CollectSink>(rows); });
  EXPECT_TRUE(env.execute().isOk());
  return rows->finalRows();
}

TEST(DatagenTest, SequenceBoundsTheSourceAndRowsDoNotDependOnParallelism) {
  std::map<std::string, std::string> options{
      {"rows-per-second", "0"},    {"fields.id.kind", "sequence"},  {"fields.id.start", "1"},
      {"fields.id.end", "1000"},   {"fields.score.min", "5"},       {"fields.score.max", "10"},
      {"fields.name.length", "8"}, {"fields.flag.null-rate", "0.5"}};
  auto one = run(1, options);
  auto three = run(3, options);
  ASSERT_EQ(one.size(), 1000u);
  EXPECT_EQ(one, three);
  int nulls = 0;
  for (const auto& row : one) {
    nulls += row.ends_with("NULL");
    // "<id>, <score>, <name>, <flag>"
    auto first = row.find(", ");
    auto second = row.find(", ", first + 2);
    double score = std::stod(row.substr(first + 2, second - first - 2));
    EXPECT_GE(score, 5.0);
    EXPECT_LT(score, 10.0);
    auto third = row.find(", ", second + 2);
    EXPECT_EQ(third - second - 2, 8u) << row;
  }
  EXPECT_GT(nulls, 350);
  EXPECT_LT(nulls, 650);
}

TEST(DatagenTest, NumberOfRowsAndRateLimit) {
  auto rows = run(2, {{"rows-per-second", "20000"}, {"number-of-rows", "2000"}});
  EXPECT_EQ(rows.size(), 2000u);
}

TEST(DatagenTest, BadOptionsNameTheOption) {
  auto bad = DatagenOptions::fromOptions(*schema(), {{"fields.prise.kind", "random"}});
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("fields.prise.kind"), std::string::npos);
  auto badKind = DatagenOptions::fromOptions(*schema(), {{"fields.id.kind", "sometimes"}});
  ASSERT_FALSE(badKind.isOk());
  EXPECT_NE(badKind.status().message().find("'random' or 'sequence'"), std::string::npos);
  auto unknown = DatagenOptions::fromOptions(*schema(), {{"rows-per-minute", "5"}});
  ASSERT_FALSE(unknown.isOk());
  EXPECT_NE(unknown.status().message().find("rows-per-minute"), std::string::npos);
}

}  // namespace
}  // namespace glint
