// A UDF library for the tests: built as libglint_test_udfs.so and loaded by
// CREATE FUNCTION ... USING JAR. It uses only glint/sql/udf/scalar_function.h.
#include <string>
#include <string_view>

#include "glint/sql/udf/scalar_function.h"

using glint::udf::perRowFunction;

GLINT_UDF_LIBRARY(registrar) {
  registrar.add(perRowFunction("glint.test.Twice", [](int64_t x) { return 2 * x; }));
  // NULL for an empty name: a body may return NULL itself.
  registrar.add(
      perRowFunction("glint.test.Greet", [](std::string_view name) -> std::optional<std::string> {
        if (name.empty()) return std::nullopt;
        return "hello " + std::string(name);
      }));
  // The batch form: one call per batch, reading the argument arrays directly.
  glint::udf::ScalarFunctionDefinition hypot;
  hypot.identifier = "glint.test.SquareSum";
  hypot.argumentTypes = {glint::udf::UdfType::kDouble, glint::udf::UdfType::kDouble};
  hypot.resultType = glint::udf::UdfType::kDouble;
  hypot.evaluate = [](const glint::udf::UdfBatch& b) {
    for (size_t i = 0; i < b.rows; ++i) {
      const double x = b.arg(0).real(i), y = b.arg(1).real(i);
      b.reals[i] = x * x + y * y;
    }
  };
  registrar.add(std::move(hypot));
}
