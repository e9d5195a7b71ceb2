// Fraud detection with keyed state and timers (after Flink's classic tutorial): for each
// account, a small transaction (< 1.00) followed within one minute of event time by a large one
// (> 500.00) raises an alert. The flag lives in keyed state; an event-time timer clears it.
//   build/release/fraud_detection
#include <cstdio>

#include "glint/api/data_stream.h"

using namespace glint;

class FraudDetector : public KeyedProcessFunction {
 public:
  static constexpr double kSmall = 1.00, kLarge = 500.00;
  static constexpr int64_t kOneMinute = 60'000;

  void open(KeyedStateBackend& state) override {
    flagged_ = state.valueState<int64_t>("smallTransactionTime");
  }
  void processElement(RowRef tx, ProcessContext& ctx, RowWriter& out) override {
    const double amount = tx.getDouble(1);
    if (auto since = flagged_->value()) {
      if (amount > kLarge) out.emit(tx.getLong(0), amount, tx.timestamp(), tx.timestamp() - *since);
      ctx.deleteEventTimeTimer(*since + kOneMinute);
      flagged_->clear();
    }
    if (amount < kSmall) {
      flagged_->update(tx.timestamp());
      ctx.registerEventTimeTimer(tx.timestamp() + kOneMinute);
    }
  }
  void onTimer(int64_t, ProcessContext&, RowWriter&) override { flagged_->clear(); }

 private:
  ValueState<int64_t>* flagged_ = nullptr;
};

int main() {
  auto txSchema = makeSchema(
      {{"account", TypeId::kBigint}, {"amount", TypeId::kDouble}, {"ts", TypeId::kTimestamp}});
  // A deterministic day of transactions for 20 accounts; a few accounts show the pattern.
  std::vector<Batch> batches;
  uint64_t state = 7;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  const int64_t start = 1700000000000;
  for (int b = 0; b < 50; ++b) {
    Batch batch(txSchema);
    RowWriter w(batch);
    for (int i = 0; i < 200; ++i) {
      const int64_t t = start + (b * 200 + i) * 5000;
      const int64_t account = static_cast<int64_t>(next() % 20);
      double amount = static_cast<double>(next() % 40000) / 100.0 + 1.0;
      if (next() % 97 == 0) amount = 0.5;    // a probe...
      if (next() % 89 == 0) amount = 750.0;  // ...and a large purchase
      w.emit(account, amount, t);
    }
    batches.push_back(std::move(batch));
  }
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  auto alerts = makeSchema({{"account", TypeId::kBigint},
                            {"amount", TypeId::kDouble},
                            {"at", TypeId::kTimestamp},
                            {"millisAfterSmall", TypeId::kBigint}});
  env.fromBatches(txSchema, std::move(batches), "transactions")
      .assignTimestampsAndWatermarks(
          WatermarkStrategy::forBoundedOutOfOrderness(1000).withTimestampColumn("ts"))
      .keyBy({"account"})
      .process(alerts, FraudDetector(), "fraud detector")
      .print("alerts");
  Status st = env.execute("fraud detection");
  if (!st.isOk()) {
    std::fprintf(stderr, "%s\n", st.toString().c_str());
    return 1;
  }
  return 0;
}
