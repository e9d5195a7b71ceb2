// libFuzzer target for the SQL parser: no crash, hang, leak or sanitizer report on any input,
// and the invariants of parser_invariants.h. Build and run: see fuzz/README.md.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/parser_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  if (auto violation = glint::sql::fuzz::checkParserInvariants(sql)) {
    std::fprintf(stderr, "parser invariant violated: %s\n", violation->c_str());
    std::abort();
  }
  // The other entry points share the grammar; exercise them on the same bytes.
  auto expression = glint::sql::parseExpression(sql);
  if (expression.isOk()) {
    std::string printed = glint::sql::toString(*expression.value());
    auto again = glint::sql::parseExpression(printed);
    bool atLimit = !again.isOk() && glint::sql::fuzz::atNestingLimit(again.error());
    if (!atLimit && (!again.isOk() || !glint::sql::equals(*expression.value(), *again.value()))) {
      std::fprintf(stderr, "expression round trip failed: %s\n", printed.c_str());
      std::abort();
    }
  }
  (void)glint::sql::parseDataType(sql);
  return 0;
}
