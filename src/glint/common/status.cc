#include "glint/common/status.h"

#include <cstdio>
#include <cstdlib>

namespace glint {

std::string Status::toString() const {
  const char* name = "OK";
  switch (code_) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      name = "Invalid argument";
      break;
    case StatusCode::kIoError:
      name = "I/O error";
      break;
    case StatusCode::kParseError:
      name = "Parse error";
      break;
    case StatusCode::kNotFound:
      name = "Not found";
      break;
    case StatusCode::kCorruption:
      name = "Corruption";
      break;
    case StatusCode::kInternal:
      name = "Internal error";
      break;
  }
  return std::string(name) + ": " + message_;
}

void checkFailed(const char* file, int line, const std::string& message) {
  std::fprintf(stderr, "%s:%d: %s\n", file, line, message.c_str());
  std::abort();
}

}  // namespace glint
