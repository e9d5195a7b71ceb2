#include "glint/connectors/file/file_sink.h"

#include <filesystem>

#include "glint/formats/csv_writer.h"
#include "glint/formats/json_lines.h"

namespace glint {

namespace fs = std::filesystem;

FileSink::~FileSink() {
  if (file_) std::fclose(file_);
}

void FileSink::open() {
  if (options_.format != "csv" && options_.format != "json")
    throw GlintError("file sink: unsupported value '" + options_.format +
                     "' for option 'format'; accepted values are: csv, json");
  schema_ = options_.schema;
  std::error_code ec;
  fs::create_directories(options_.directory, ec);
  if (ec)
    throw GlintError("file sink: cannot create directory '" + options_.directory +
                     "': " + ec.message());
}

std::string FileSink::header(const Schema& schema) const {
  if (options_.format != "csv") return "";
  std::string h;
  if (options_.mode == SinkChangelogMode::kChangelog) h = "rowkind,";
  return h + csvHeader(schema);
}

void FileSink::startPart() {
  const std::string ext = options_.format == "csv" ? ".csv" : ".json";
  const std::string name =
      "part-" + std::to_string(context_.subtaskIndex) + "-" + std::to_string(partNumber_++) + ext;
  finalPath_ = options_.directory + "/" + name;
  inProgressPath_ = options_.directory + "/." + name + ".inprogress";
  file_ = std::fopen(inProgressPath_.c_str(), "wb");
  if (!file_) throw GlintError("file sink: cannot create '" + inProgressPath_ + "'");
  partBytes_ = 0;
  write(header(*schema_));
}

void FileSink::write(const std::string& bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw GlintError("file sink: write to '" + inProgressPath_ + "' failed (disk full?)");
  partBytes_ += static_cast<int64_t>(bytes.size());
}

void FileSink::commitPart() {
  if (!file_) return;
  if (std::fclose(file_) != 0)
    throw GlintError("file sink: closing '" + inProgressPath_ + "' failed");
  file_ = nullptr;
  std::error_code ec;
  fs::rename(inProgressPath_, finalPath_, ec);
  if (ec)
    throw GlintError("file sink: cannot rename '" + inProgressPath_ + "' to '" + finalPath_ +
                     "': " + ec.message());
}

void FileSink::consume(Batch&& batch) {
  if (!schema_) schema_ = batch.schema();
  const bool csv = options_.format == "csv";
  if (options_.mode == SinkChangelogMode::kFinalState) {
    std::string line;
    for (size_t r = 0; r < batch.numRows(); ++r) {
      line.clear();
      if (csv)
        appendCsvRow(batch, r, line);
      else
        appendJsonRow(batch, r, line);
      Status st = finalState_.apply(batch.rowKind(r), line);
      if (!st.isOk()) throw GlintError("file sink: " + st.message());
    }
    return;
  }
  if (options_.mode == SinkChangelogMode::kAppendOnly && batch.hasRowKinds())
    for (size_t r = 0; r < batch.numRows(); ++r)
      if (batch.rowKind(r) != RowKind::kInsert)
        throw GlintError("file sink '" + context_.name +
                         "' is append-only but the stream has updates (" +
                         std::string(rowKindShortString(batch.rowKind(r))) +
                         "); write the final state or the changelog instead");
  if (!file_) startPart();
  buffer_.clear();
  const bool kinds = options_.mode == SinkChangelogMode::kChangelog;
  for (size_t r = 0; r < batch.numRows(); ++r) {
    if (csv)
      appendCsvRow(batch, r, buffer_, kinds);
    else
      appendJsonRow(batch, r, buffer_, kinds);
  }
  write(buffer_);
  if (partBytes_ >= options_.rollBytes) commitPart();
}

void FileSink::finish() {
  if (!schema_) return;
  if (options_.mode == SinkChangelogMode::kFinalState) {
    startPart();
    std::string all;
    for (const auto& line : finalState_.rows()) all += line;
    write(all);
  } else if (!file_ && partNumber_ == 0) {
    startPart();  // an empty result is still a part with its header
  }
  commitPart();
}

}  // namespace glint
