#include "glint/connectors/file/file_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "glint/formats/csv_writer.h"
#include "glint/formats/json_lines.h"
#include "glint/runtime/executor.h"
#include "glint/types/serialization.h"

namespace glint {

namespace fs = std::filesystem;

FileSink::~FileSink() {
  if (file_) std::fclose(file_);
}

void FileSink::open() {
  TwoPhaseCommitSink::open();
  if (options_.format != "csv" && options_.format != "json")
    throw GlintError("file sink: unsupported value '" + options_.format +
                     "' for option 'format'; accepted values are: csv, json");
  schema_ = options_.schema;
  if (options_.mode == SinkChangelogMode::kFinalState && context_.checkpointing)
    throw GlintError("file sink '" + context_.name +
                     "': writing the final state of an updating result is not checkpointed yet; "
                     "with checkpointing on, write the changelog instead");
  std::error_code ec;
  fs::create_directories(options_.directory, ec);
  if (ec)
    throw GlintError("file sink: cannot create directory '" + options_.directory +
                     "': " + ec.message());
}

std::string FileSink::header(const Schema& schema) const {
  if (options_.format != "csv" || !options_.csvHeader) return "";
  std::string h;
  if (options_.mode == SinkChangelogMode::kChangelog) h = "rowkind,";
  return h + csvHeader(schema);
}

void FileSink::startPart() {
  const std::string ext = options_.format == "csv" ? ".csv" : ".json";
  const std::string run = context_.checkpointing ? context_.attemptId + "-" : "";
  const std::string name = "part-" + run + std::to_string(context_.subtaskIndex) + "-" +
                           std::to_string(partNumber_++) + ext;
  finalPath_ = options_.directory + "/" + name;
  inProgressPath_ = options_.directory + "/." + name + ".inprogress";
  file_ = std::fopen(inProgressPath_.c_str(), "wb");
  if (!file_) throw GlintError("file sink: cannot create '" + inProgressPath_ + "'");
  partBytes_ = 0;
  partOpenedMillis_ = wallClockMillis();
  write(header(*schema_));
}

void FileSink::write(const std::string& bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw GlintError("file sink: write to '" + inProgressPath_ + "' failed (disk full?)");
  partBytes_ += static_cast<int64_t>(bytes.size());
}

std::string FileSink::closePart() {
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0 || std::fclose(file_) != 0) {
    file_ = nullptr;
    throw GlintError("file sink: writing '" + inProgressPath_ + "' failed (disk full?)");
  }
  file_ = nullptr;
  std::string committable;
  BinaryWriter w(committable);
  w.writeString(inProgressPath_);
  w.writeString(finalPath_);
  return committable;
}

std::vector<std::string> FileSink::preCommit() {
  if (!file_) return {};
  return {closePart()};
}

void FileSink::commit(const std::string& committable) {
  BinaryReader r(committable);
  std::string inProgress, final;
  if (!r.readString(&inProgress) || !r.readString(&final))
    throw GlintError("file sink: unreadable pending part in the checkpoint");
  std::error_code ec;
  if (fs::exists(inProgress, ec)) {
    fs::rename(inProgress, final, ec);
    if (ec)
      throw GlintError("file sink: cannot rename '" + inProgress + "' to '" + final +
                       "': " + ec.message());
  } else if (!fs::exists(final, ec)) {
    // Neither pending nor committed: output of a completed checkpoint is gone. Never pretend.
    throw GlintError("file sink: pending part '" + inProgress +
                     "' of a completed checkpoint is missing; its rows are lost");
  }
}

void FileSink::discardLeftovers() {
  const std::string mine = "." + std::string("part-") + context_.attemptId + "-";
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (const auto& e : fs::directory_iterator(options_.directory, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(".part-", 0) == 0 && name.size() > 11 &&
        name.compare(name.size() - 11, 11, ".inprogress") == 0 && name.rfind(mine, 0) != 0)
      doomed.push_back(e.path());
  }
  for (const auto& p : doomed) fs::remove(p, ec);
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
  if (partBytes_ >= options_.rollBytes ||
      wallClockMillis() - partOpenedMillis_ >= options_.rollIntervalMillis)
    addPreCommitted({closePart()});
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
  TwoPhaseCommitSink::finish();
}

}  // namespace glint
