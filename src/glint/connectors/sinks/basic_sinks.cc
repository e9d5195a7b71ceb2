#include "glint/connectors/sinks/basic_sinks.h"

#include <algorithm>
#include <cstdio>

#include "glint/formats/csv_writer.h"

namespace glint {

static std::string rowValues(const Batch& batch, size_t row) {
  std::string s;
  for (size_t c = 0; c < batch.numColumns(); ++c) {
    if (c) s += ", ";
    if (!formatValue(batch.column(c), row, s)) s += "NULL";
  }
  return s;
}

void CollectedRows::add(const Batch& batch) {
  std::vector<std::pair<RowKind, std::string>> rows;
  rows.reserve(batch.numRows());
  for (size_t r = 0; r < batch.numRows(); ++r) {
    if (format_ == Format::kCsv) {
      std::string line;
      appendCsvRow(batch, r, line);
      line.pop_back();
      rows.emplace_back(batch.rowKind(r), std::move(line));
    } else {
      rows.emplace_back(batch.rowKind(r), rowValues(batch, r));
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  rows_.insert(rows_.end(), rows.begin(), rows.end());
}

std::vector<std::string> CollectedRows::changelog() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (auto& [kind, row] : rows_) out.push_back(std::string(rowKindShortString(kind)) + " " + row);
  return out;
}

std::vector<std::string> CollectedRows::finalRows() const {
  std::lock_guard<std::mutex> lock(mu_);
  ChangelogMaterializer m;
  for (auto& [kind, row] : rows_) {
    Status st = m.apply(kind, row);
    if (!st.isOk()) throw GlintError(st.message());
  }
  return m.rows();
}

int64_t CollectedRows::rowCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(rows_.size());
}

Status ChangelogMaterializer::apply(RowKind kind, const std::string& row) {
  if (isAccumulate(kind)) {
    ++counts_[row];
    return Status::ok();
  }
  auto it = counts_.find(row);
  if (it == counts_.end())
    return Status::internal("changelog retracts a row that is not in the result: " + row);
  if (--it->second == 0) counts_.erase(it);
  return Status::ok();
}

std::vector<std::string> ChangelogMaterializer::rows() const {
  std::vector<std::string> out;
  for (auto& [row, n] : counts_)
    for (int64_t i = 0; i < n; ++i) out.push_back(row);
  return out;
}

void PrintSink::consume(Batch&& batch) {
  std::string text;
  const std::string prefix =
      context_.parallelism > 1 ? std::to_string(context_.subtaskIndex + 1) + "> " : "";
  for (size_t r = 0; r < batch.numRows(); ++r) {
    text += prefix;
    text += rowKindShortString(batch.rowKind(r));
    text += "[" + rowValues(batch, r) + "]\n";
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace glint
