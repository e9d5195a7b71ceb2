// The UDFs Glint ships, registered under the identifiers Flink's implementations use so that
// Flink SQL scripts run unchanged.
#include <algorithm>

#include "glint/sql/udf/udf_registry.h"

namespace glint::sql {

void registerBuiltinUdfs(UdfRegistry& registry) {
  // Nexmark's count_char(s, c) (q14): occurrences of the first character of c in s; 0 when
  // c is empty.
  auto countChar = udf::perRowFunction("com.github.nexmark.flink.udf.CountChar",
                                       [](std::string_view s, std::string_view c) -> int64_t {
                                         if (c.empty()) return 0;
                                         return std::count(s.begin(), s.end(), c[0]);
                                       });
  Status s = registry.add(std::move(countChar));
  (void)s;  // identifiers are unique here
}

}  // namespace glint::sql
