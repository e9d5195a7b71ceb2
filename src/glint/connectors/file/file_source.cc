#include "glint/connectors/file/file_source.h"

#include <algorithm>
#include <filesystem>

#include "glint/runtime/executor.h"
#include "glint/types/serialization.h"

namespace glint {

namespace fs = std::filesystem;

Result<std::vector<std::string>> listInputFiles(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::notFound("input path '" + path + "' does not exist");
  std::vector<std::string> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || name.empty() || name[0] == '.' || name[0] == '_') continue;
      files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return Status::notFound("input directory '" + path + "' holds no files");
  } else {
    files.push_back(path);
  }
  return files;
}

FileSource::~FileSource() {
  closeFile();
}

void FileSource::initializeState(OperatorRestoreState&& state) {
  if (!state.restored) return;
  restored_ = true;
  for (const auto& item : state.operatorState) {
    BinaryReader r(item);
    Split split;
    uint8_t version;
    if (!r.read(&version) || version != 1 || !r.readString(&split.path) ||
        !r.read(&split.rowsEmitted) || split.rowsEmitted < 0)
      throw GlintError("file source: unreadable checkpointed position");
    files_.push_back(std::move(split));
  }
}

void FileSource::snapshotState(const CheckpointBarrier&, const SnapshotLocation&,
                               OperatorSnapshot& snapshot) {
  auto add = [&](const Split& split) {
    std::string item;
    BinaryWriter w(item);
    w.write<uint8_t>(1);  // format version
    w.writeString(split.path);
    w.write<int64_t>(split.rowsEmitted);
    snapshot.operatorState.push_back(std::move(item));
  };
  if (current_) add(*current_);
  for (size_t i = nextFile_; i < files_.size(); ++i) add(files_[i]);
}

void FileSource::open() {
  if (!restored_) {
    auto files = listInputFiles(options_.path);
    if (!files.isOk()) throw GlintError(files.status().message());
    for (size_t i = static_cast<size_t>(context_.subtaskIndex); i < files->size();
         i += static_cast<size_t>(context_.parallelism))
      files_.push_back({(*files)[i], 0});
  }
  pending_ = Batch(schema_);
}

Status FileSource::openNextFile() {
  current_ = &files_[nextFile_++];
  toDrop_ = current_->rowsEmitted;
  const std::string& name = current_->path;
  file_ = std::fopen(name.c_str(), "rb");
  if (!file_) return Status::ioError("cannot open input file '" + name + "'");
  auto decoder = makeDecoder(options_.format, schema_, options_.formatOptions, name);
  if (!decoder.isOk()) return decoder.status();
  decoder_ = std::move(decoder.value());
  return Status::ok();
}

void FileSource::reportSkips() {
  if (!decoder_ || decoder_->skippedRecords() == 0) return;
  if (context_.metrics)
    context_.metrics->malformedRecordsSkipped.fetch_add(decoder_->skippedRecords());
  std::fprintf(stderr, "%s: skipped %lld malformed record(s)\n", decoder_->fileName().c_str(),
               static_cast<long long>(decoder_->skippedRecords()));
  for (const auto& s : decoder_->skipSamples()) std::fprintf(stderr, "  %s\n", s.c_str());
}

void FileSource::closeFile() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

SourceOperator::PollResult FileSource::pollNext(int64_t*) {
  const size_t batchSize = context_.config.batchSize;
  while (pending_.numRows() < batchSize) {
    if (!file_) {
      reportSkips();
      decoder_.reset();
      // Rows of one batch come from one file, so the position is one (file, rows) pair.
      if (!pending_.empty()) break;
      current_ = nullptr;
      if (nextFile_ >= files_.size()) break;
      Status st = openNextFile();
      if (!st.isOk()) throw GlintError(st.message());
    }
    chunk_.resize(options_.chunkBytes);
    const size_t n = std::fread(chunk_.data(), 1, chunk_.size(), file_);
    chunk_.resize(n);
    const bool last = n == 0 || std::feof(file_);
    Status st = decoder_->decode(chunk_, last, pending_);
    if (!st.isOk()) throw GlintError(st.message());
    if (toDrop_ > 0 && !pending_.empty()) {
      const size_t drop = std::min<size_t>(static_cast<size_t>(toDrop_), pending_.numRows());
      Batch rest(schema_);
      rest.appendRange(pending_, drop, pending_.numRows());
      pending_ = std::move(rest);
      toDrop_ -= static_cast<int64_t>(drop);
    }
    if (last) closeFile();
  }
  if (!pending_.empty()) {
    // Hand out at most batchSize rows; keep the rest for the next poll.
    Batch out(schema_);
    if (pending_.numRows() <= batchSize) {
      std::swap(out, pending_);
    } else {
      out.appendRange(pending_, 0, batchSize);
      Batch rest(schema_);
      rest.appendRange(pending_, batchSize, pending_.numRows());
      pending_ = std::move(rest);
    }
    out.setSourceNanos(monotonicNanos());
    current_->rowsEmitted += static_cast<int64_t>(out.numRows());
    if (context_.metrics)
      context_.metrics->sourceRecords.fetch_add(static_cast<int64_t>(out.numRows()));
    output_->emit(std::move(out));
    return PollResult::kMore;
  }
  output_->emitWatermark(kMaxTimestamp);
  return PollResult::kEnd;
}

}  // namespace glint
