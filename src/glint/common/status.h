#pragma once
// Two error channels (see docs/architecture.md): Status/Result for expected failures
// (I/O, bad input, bad arguments), GLINT_CHECK for bugs.
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace glint {

enum class StatusCode { kOk, kInvalidArgument, kIoError, kParseError, kNotFound, kCorruption, kInternal };

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status invalidArgument(std::string m) {
    return Status(StatusCode::kInvalidArgument, std::move(m));
  }
  static Status ioError(std::string m) { return Status(StatusCode::kIoError, std::move(m)); }
  static Status parseError(std::string m) { return Status(StatusCode::kParseError, std::move(m)); }
  static Status notFound(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
  // Persisted data (a checkpoint file) is damaged: truncated, bad checksum, unknown version.
  static Status corruption(std::string m) { return Status(StatusCode::kCorruption, std::move(m)); }
  static Status internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

  bool isOk() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string toString() const;

 private:
  Status(StatusCode c, std::string m) : code_(c), message_(std::move(m)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit on purpose
  Result(Status status) : value_(std::move(status)) {}  // NOLINT
  bool isOk() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return isOk() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  const T& value() const& { return std::get<T>(value_); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, Status> value_;
};

// Raised for user errors that surface inside the runtime (e.g. a malformed record under the
// `fail` policy); the job fails with this message.
class GlintError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void checkFailed(const char* file, int line, const std::string& message);

}  // namespace glint

#define GLINT_RETURN_IF_ERROR(expr) \
  do {                              \
    ::glint::Status _st = (expr);   \
    if (!_st.isOk()) return _st;    \
  } while (0)

// Internal invariants: a failure is a bug in Glint, not in the user's input.
#define GLINT_CHECK(cond)                                                          \
  do {                                                                             \
    if (!(cond)) ::glint::checkFailed(__FILE__, __LINE__, "check failed: " #cond); \
  } while (0)

#define GLINT_CHECK_OP(a, op, b)                                                   \
  do {                                                                             \
    auto&& _a = (a);                                                               \
    auto&& _b = (b);                                                               \
    if (!(_a op _b)) {                                                             \
      std::ostringstream _os;                                                      \
      _os << "check failed: " #a " " #op " " #b " (" << _a << " vs " << _b << ")"; \
      ::glint::checkFailed(__FILE__, __LINE__, _os.str());                         \
    }                                                                              \
  } while (0)
#define GLINT_CHECK_EQ(a, b) GLINT_CHECK_OP(a, ==, b)
#define GLINT_CHECK_LT(a, b) GLINT_CHECK_OP(a, <, b)
#define GLINT_CHECK_LE(a, b) GLINT_CHECK_OP(a, <=, b)
