#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "glint/common/status.h"

namespace glint {

// Logical types, named as in Flink SQL.
enum class TypeId : uint8_t {
  kBoolean,
  kInt,
  kBigint,
  kDouble,
  kVarchar,
  kTimestamp,     // TIMESTAMP(3): milliseconds since the epoch, no time zone
  kTimestampLtz,  // TIMESTAMP_LTZ(3): an instant, milliseconds since the epoch
  kDate,          // days since 1970-01-01
};

// How a column stores its values. Every integer-like logical type is held as int64 so that
// kernels, hashing and serialization have one integer path; narrower widths can come later
// without changing the logical model.
enum class PhysicalType : uint8_t { kInt64, kDouble, kString };

PhysicalType physicalTypeOf(TypeId type);
std::string_view typeName(TypeId type);
Result<TypeId> parseTypeName(std::string_view name);

struct Field {
  std::string name;
  TypeId type;
  bool nullable = true;
};

class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}
  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  const Field& field(size_t i) const { return fields_[i]; }
  // Index of the column with this name, or -1.
  int indexOf(std::string_view name) const;
  // Index of the column with this name; the error names the column and lists the known ones.
  Result<int> find(std::string_view name) const;
  std::vector<std::string> names() const;
  std::string toString() const;
  bool operator==(const Schema& other) const;

 private:
  std::vector<Field> fields_;
};

using SchemaPtr = std::shared_ptr<const Schema>;

inline SchemaPtr makeSchema(std::vector<Field> fields) {
  return std::make_shared<const Schema>(std::move(fields));
}

// Time helpers: event time is an int64 of milliseconds since the epoch (docs/architecture.md).
constexpr int64_t kMinTimestamp = INT64_MIN;
constexpr int64_t kMaxTimestamp = INT64_MAX;  // the final watermark of a bounded input

// "YYYY-MM-DD HH:MM:SS.sss" in UTC.
std::string formatTimestamp(int64_t millis);
// Accepts "YYYY-MM-DD HH:MM:SS[.fff]" or "YYYY-MM-DDTHH:MM:SS[.fff][Z]".
bool parseTimestamp(std::string_view text, int64_t* millis);
std::string formatDate(int64_t days);
bool parseDate(std::string_view text, int64_t* days);

}  // namespace glint
