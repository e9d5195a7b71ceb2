#include "glint/connectors/nexmark/csv_files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "glint/formats/csv_writer.h"

namespace glint::nexmark {
namespace {

class CsvFile {
 public:
  ~CsvFile() {
    if (f_) std::fclose(f_);
  }
  Status open(const std::string& path) {
    path_ = path;
    f_ = std::fopen(path.c_str(), "wb");
    if (!f_) return Status::ioError("cannot create " + path + ": " + std::strerror(errno));
    return Status::ok();
  }
  Status write(const std::string& data) {
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f_) != data.size())
      return Status::ioError("cannot write " + path_ + ": " + std::strerror(errno));
    return Status::ok();
  }
  Status close() {
    const int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0) return Status::ioError("cannot write " + path_ + ": " + std::strerror(errno));
    return Status::ok();
  }

 private:
  std::string path_;
  std::FILE* f_ = nullptr;
};

// Formats the batch's rows, writes them and empties the batch.
Status flush(Batch& batch, std::string& text, CsvFile& file) {
  text.clear();
  for (size_t r = 0; r < batch.numRows(); ++r) appendCsvRow(batch, r, text);
  batch.clear();
  return file.write(text);
}

}  // namespace

Status writeNexmarkCsv(const GeneratorConfig& config, int64_t numEvents, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::ioError("cannot create directory " + dir + ": " + ec.message());

  const std::filesystem::path base(dir);
  CsvFile files[3];
  Batch batches[3] = {Batch(personSchema()), Batch(auctionSchema()), Batch(bidSchema())};
  const char* names[3] = {"person.csv", "auction.csv", "bid.csv"};
  for (int k = 0; k < 3; ++k) {
    GLINT_RETURN_IF_ERROR(files[k].open((base / names[k]).string()));
    GLINT_RETURN_IF_ERROR(files[k].write(csvHeader(*batches[k].schema())));
  }

  Generator gen(config);
  constexpr int64_t kChunk = 4096;
  std::string text;
  for (int64_t begin = 0; begin < numEvents; begin += kChunk) {
    const int64_t end = std::min(numEvents, begin + kChunk);
    generateInto(gen, begin, end, &batches[0], &batches[1], &batches[2]);
    for (int k = 0; k < 3; ++k)
      if (batches[k].numRows() >= static_cast<size_t>(kChunk) || end == numEvents)
        GLINT_RETURN_IF_ERROR(flush(batches[k], text, files[k]));
  }
  for (int k = 0; k < 3; ++k) GLINT_RETURN_IF_ERROR(files[k].close());
  return Status::ok();
}

}  // namespace glint::nexmark
