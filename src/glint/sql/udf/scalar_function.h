#pragma once
// The C++ API for user-defined scalar functions (UDFs) of Glint SQL. Header-only and free of
// Glint's internal types, so that a UDF library built against it needs no Glint symbols at
// load time: it is compiled into Glint itself (built-in UDFs) or into a shared library that
// `CREATE FUNCTION f AS 'identifier' USING JAR '/path/libx.so'` loads with dlopen.
//
// A function is an identifier (Flink's class name: any string, e.g. 'com.example.Upper'),
// argument types, a result type and a body that is called once per batch of rows:
//
//   ScalarFunctionDefinition def;
//   def.identifier = "com.example.Twice";
//   def.argumentTypes = {UdfType::kBigint};
//   def.resultType = UdfType::kBigint;
//   def.evaluate = [](const UdfBatch& b) {
//     for (size_t i = 0; i < b.rows; ++i) b.integers[i] = 2 * b.args[0].integer(i);
//   };
//
// or, per row, with the adapter:  perRowFunction("com.example.Twice", [](int64_t x) { return 2 * x;
// }) (C++ types: bool, int32_t, int64_t, double, std::string_view in; the same or std::string out;
// std::optional<T> out for a result that may be NULL).
//
// A shared library exports two C functions:
//   extern "C" int glint_udf_api_version() { return glint::udf::kApiVersion; }
//   extern "C" void glint_udf_register(glint::udf::FunctionRegistrar& registrar) {
//     registrar.add(perRowFunction("com.example.Twice", ...));
//   }
// GLINT_UDF_LIBRARY(registrar) { registrar.add(...); } defines both. The library must be built
// with the same compiler and standard library as Glint (std::function and std::string cross the
// boundary) and stays loaded for the life of the process.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace glint::udf {

// Bumped whenever this header changes incompatibly; a library built for another version is
// refused at load time.
inline constexpr int kApiVersion = 1;

// SQL types a UDF can take and return. Integer-like types are int64 values (BOOLEAN 0/1,
// TIMESTAMP/TIMESTAMP_LTZ epoch milliseconds, DATE epoch days).
enum class UdfType : uint8_t { kBoolean, kInt, kBigint, kDouble, kString, kTimestamp, kDate };

// One argument over the rows of a batch: a column, or a constant standing for every row.
struct UdfArgument {
  UdfType type = UdfType::kBigint;
  bool constant = false;
  const int64_t* integers = nullptr;  // integer-like types
  const double* reals = nullptr;      // DOUBLE
  const uint32_t* offsets = nullptr;  // STRING: value i is chars[offsets[i], offsets[i + 1])
  const char* chars = nullptr;
  const uint8_t* nulls = nullptr;  // 1 = NULL; null when no value is NULL

  size_t at(size_t row) const { return constant ? 0 : row; }
  bool isNull(size_t row) const { return nulls != nullptr && nulls[at(row)] != 0; }
  int64_t integer(size_t row) const { return integers[at(row)]; }
  double real(size_t row) const { return reals[at(row)]; }
  std::string_view text(size_t row) const {
    const size_t i = at(row);
    return std::string_view(chars + offsets[i], offsets[i + 1] - offsets[i]);
  }
};

// Receives STRING results, one per row in row order.
class TextResults {
 public:
  virtual ~TextResults() = default;
  virtual void append(std::string_view value) = 0;
};

// One call of a function body: `rows` results to produce from `args`.
struct UdfBatch {
  size_t rows = 0;
  const UdfArgument* args = nullptr;
  size_t argCount = 0;
  // Rows whose result is NULL whatever the body computes (an argument is NULL and the function
  // propagates NULLs): a body may skip their work but must still produce a value (0, "").
  const uint8_t* skip = nullptr;
  // Results: `integers` (integer-like result types) or `reals` (DOUBLE) hold `rows` slots;
  // STRING results go to `text`. `nulls` (`rows` zeroed bytes) takes 1 for a NULL result.
  int64_t* integers = nullptr;
  double* reals = nullptr;
  TextResults* text = nullptr;
  uint8_t* nulls = nullptr;

  const UdfArgument& arg(size_t i) const { return args[i]; }
  bool skipped(size_t row) const { return skip != nullptr && skip[row] != 0; }
};

struct ScalarFunctionDefinition {
  std::string identifier;
  std::vector<UdfType> argumentTypes;
  UdfType resultType = UdfType::kBigint;
  // False for functions whose result changes between calls with the same arguments (never
  // folded into a constant at planning time).
  bool deterministic = true;
  // True: a NULL argument makes the result NULL without the body's say (rows in `skip`).
  bool propagatesNulls = true;
  std::function<void(const UdfBatch&)> evaluate;
};

class FunctionRegistrar {
 public:
  virtual ~FunctionRegistrar() = default;
  virtual void add(ScalarFunctionDefinition definition) = 0;
};

// ---- the per-row adapter
namespace detail {
template <class T>
struct TypeOf;
template <>
struct TypeOf<bool> {
  static constexpr UdfType value = UdfType::kBoolean;
};
template <>
struct TypeOf<int32_t> {
  static constexpr UdfType value = UdfType::kInt;
};
template <>
struct TypeOf<int64_t> {
  static constexpr UdfType value = UdfType::kBigint;
};
template <>
struct TypeOf<double> {
  static constexpr UdfType value = UdfType::kDouble;
};
template <>
struct TypeOf<std::string_view> {
  static constexpr UdfType value = UdfType::kString;
};
template <>
struct TypeOf<std::string> {
  static constexpr UdfType value = UdfType::kString;
};

template <class T>
T read(const UdfArgument& a, size_t row) {
  if constexpr (std::is_same_v<T, double>)
    return a.real(row);
  else if constexpr (std::is_same_v<T, std::string_view>)
    return a.text(row);
  else if constexpr (std::is_same_v<T, bool>)
    return a.integer(row) != 0;
  else
    return static_cast<T>(a.integer(row));
}

template <class T>
void write(const UdfBatch& b, size_t row, const T& v) {
  if constexpr (std::is_same_v<T, double>)
    b.reals[row] = v;
  else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>)
    b.text->append(v);
  else
    b.integers[row] = static_cast<int64_t>(v);
}

template <class T>
struct Optional {
  using type = T;
  static constexpr bool value = false;
};
template <class T>
struct Optional<std::optional<T>> {
  using type = T;
  static constexpr bool value = true;
};

template <class F, class R, class... A>
ScalarFunctionDefinition perRow(std::string identifier, F f, R (*)(A...)) {
  using Result = typename Optional<R>::type;
  ScalarFunctionDefinition def;
  def.identifier = std::move(identifier);
  def.argumentTypes = {TypeOf<std::decay_t<A>>::value...};
  def.resultType = TypeOf<Result>::value;
  def.evaluate = [f](const UdfBatch& b) {
    for (size_t row = 0; row < b.rows; ++row) {
      if (b.skipped(row)) {
        write(b, row, Result{});
        continue;
      }
      size_t i = 0;
      // Braced initialisation evaluates the arguments left to right.
      auto call = [&](auto&&... values) { return f(values...); };
      auto r = std::apply(
          call, std::tuple<std::decay_t<A>...>{read<std::decay_t<A>>(b.args[i++], row)...});
      if constexpr (Optional<R>::value) {
        if (!r) {
          b.nulls[row] = 1;
          write(b, row, Result{});
        } else {
          write(b, row, *r);
        }
      } else {
        write(b, row, r);
      }
    }
  };
  return def;
}

// The function-pointer type of a callable's call operator.
template <class T>
struct Signature : Signature<decltype(&T::operator())> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) const> {
  using type = R (*)(A...);
};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...)> {
  using type = R (*)(A...);
};
template <class R, class... A>
struct Signature<R (*)(A...)> {
  using type = R (*)(A...);
};
}  // namespace detail

// A function from a callable (function, lambda) taking and returning the C++ types above.
template <class F>
ScalarFunctionDefinition perRowFunction(std::string identifier, F f) {
  return detail::perRow(std::move(identifier), f, typename detail::Signature<F>::type{nullptr});
}

// Defines the two entry points of a UDF library; the body registers its functions:
//   GLINT_UDF_LIBRARY(registrar) { registrar.add(perRowFunction(...)); }
#define GLINT_UDF_LIBRARY(registrar)       \
  extern "C" int glint_udf_api_version() { \
    return ::glint::udf::kApiVersion;      \
  }                                        \
  extern "C" void glint_udf_register(::glint::udf::FunctionRegistrar& registrar)

}  // namespace glint::udf
