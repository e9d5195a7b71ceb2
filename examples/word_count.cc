// Word count over a text file with the DataStream API: lines -> words -> count per word, the
// counts emitted when the (bounded) input ends.
//   build/release/word_count README.md
#include <cctype>
#include <cstdio>
#include <fstream>

#include "glint/api/data_stream.h"

using namespace glint;

class CountWords : public KeyedProcessFunction {
 public:
  void open(KeyedStateBackend& state) override { count_ = state.valueState<int64_t>("count"); }
  void processElement(RowRef, ProcessContext& ctx, RowWriter&) override {
    count_->update(count_->value().value_or(0) + 1);
    ctx.registerEventTimeTimer(kMaxTimestamp - 1);  // fires when the input ends
  }
  void onTimer(int64_t, ProcessContext& ctx, RowWriter& out) override {
    out.emit(ctx.currentKey().getString(0), *count_->value());
  }

 private:
  ValueState<int64_t>* count_ = nullptr;
};

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  auto lineSchema = makeSchema({{"line", TypeId::kVarchar}});
  std::vector<Batch> batches(1, Batch(lineSchema));
  std::string line;
  while (std::getline(in, line)) {
    if (batches.back().numRows() == 1024) batches.emplace_back(lineSchema);
    RowWriter(batches.back()).emit(line);
  }

  StreamExecutionEnvironment env;
  env.setParallelism(2);
  auto wordSchema = makeSchema({{"word", TypeId::kVarchar}});
  env.fromBatches(lineSchema, std::move(batches), "lines")
      .flatMap(
          wordSchema,
          [](RowRef r, RowWriter& out) {
            std::string_view text = r.getString(0);
            std::string word;
            for (size_t i = 0; i <= text.size(); ++i) {
              const char c = i < text.size() ? text[i] : ' ';
              if (std::isalnum(static_cast<unsigned char>(c))) {
                word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
              } else if (!word.empty()) {
                out.emit(word);
                word.clear();
              }
            }
          },
          "split")
      .keyBy({"word"})
      .process(makeSchema({{"word", TypeId::kVarchar}, {"count", TypeId::kBigint}}), CountWords(),
               "count")
      .print();
  Status st = env.execute("word count");
  if (!st.isOk()) {
    std::fprintf(stderr, "%s\n", st.toString().c_str());
    return 1;
  }
  return 0;
}
