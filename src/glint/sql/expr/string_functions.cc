// String functions. Positions and lengths count characters (Unicode code points of the UTF-8
// text), as Flink's do; UPPER/LOWER/INITCAP map ASCII letters only (other characters are
// kept as they are). Regular expressions use std::regex (ECMAScript syntax, which agrees with
// Java's for the common constructs); an invalid regular expression gives NULL, as in Flink.
#include <memory>
#include <optional>
#include <regex>

#include "glint/sql/expr/function_registry.h"
#include "glint/sql/expr/text.h"

namespace glint::sql {

namespace {

// Parameter kinds for the helpers below.
enum class Param { kText, kInteger };

// Checks arity and types; INT parameters accept INT and BIGINT, a NULL literal adopts the
// parameter's type.
Status checkParams(std::string_view name, std::string_view expected,
                   std::vector<BoundExprPtr>& args, const std::vector<Param>& params,
                   size_t minArgs, bool variadicText = false) {
  if (args.size() < minArgs || (!variadicText && args.size() > params.size()))
    return signatureError(name, expected, args);
  for (size_t i = 0; i < args.size(); ++i) {
    const Param p = i < params.size() ? params[i] : Param::kText;
    if (p == Param::kText) {
      args[i] = adoptNullType(args[i], ExprType::kVarchar);
      if (args[i]->type != ExprType::kVarchar) return signatureError(name, expected, args);
    } else {
      args[i] = adoptNullType(args[i], ExprType::kInt);
      if (!isIntegral(args[i]->type)) return signatureError(name, expected, args);
    }
  }
  return Status::ok();
}

// A VARCHAR-valued function computed per row by `fn(call, row, out) -> bool` (false: NULL).
// The lambda is a template argument, so it is inlined into the loop.
template <class Fn>
KernelFn textKernel(Fn fn) {
  return [fn](KernelCall& c) {
    std::string buf;
    for (size_t i = 0; i < c.rows; ++i) {
      if (c.skip(i)) {
        c.out->appendString({});
        continue;
      }
      buf.clear();
      if (fn(c, i, buf))
        c.out->appendString(buf);
      else
        c.out->appendNull();
    }
  };
}

template <class Fn>
KernelFn integerKernel(Fn fn) {
  return [fn](KernelCall& c) {
    int64_t* out = outIntegers(c);
    uint8_t* nulls = nullptr;
    for (size_t i = 0; i < c.rows; ++i) {
      out[i] = 0;
      if (c.skip(i)) continue;
      if (!fn(c, i, out[i])) {
        if (nulls == nullptr) nulls = outNulls(c);
        nulls[i] = 1;
      }
    }
  };
}

void defineFunction(FunctionRegistry& r, const std::string& name,
                    std::initializer_list<std::string> aliases, const std::string& expected,
                    std::vector<Param> params, size_t minArgs, ExprType result, bool mayReturnNull,
                    KernelFn kernel, bool variadicText = false) {
  const FunctionDef* def = r.define({name, Syntax::kFunction, SpecialForm::kNone, true, false, true,
                                     stateless(std::move(kernel))});
  auto resolver = [=](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    GLINT_RETURN_IF_ERROR(checkParams(name, expected, args, params, minArgs, variadicText));
    const bool nullable = anyNullable(args) || mayReturnNull;
    return makeCallNode(def, result, std::move(args), nullable);
  };
  r.add(name, resolver);
  for (const auto& alias : aliases) r.add(alias, resolver);
}

char asciiUpper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
}
char asciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}
bool asciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Flink's SUBSTRING: 1-based start, 0 counts as 1, a negative start counts from the end;
// a negative length gives NULL.
bool substring(std::string_view s, int64_t start, std::optional<int64_t> length, std::string& out) {
  if (length && *length < 0) return false;
  const int64_t chars = static_cast<int64_t>(isAscii(s) ? s.size() : codePointCount(s));
  int64_t begin;
  if (start > 0) {
    begin = start - 1;
    if (begin >= chars) return true;
  } else if (start < 0) {
    begin = chars + start;
    if (begin < 0) return true;
  } else {
    begin = 0;
  }
  const int64_t end = length ? std::min(chars, begin + *length) : chars;
  if (end <= begin) return true;
  if (static_cast<size_t>(chars) == s.size()) {
    out.append(s.substr(static_cast<size_t>(begin), static_cast<size_t>(end - begin)));
  } else {
    const size_t b = codePointOffset(s, static_cast<size_t>(begin));
    const size_t e = codePointOffset(s, static_cast<size_t>(end));
    out.append(s.substr(b, e - b));
  }
  return true;
}

// Characters (code points) of `s` as views.
std::vector<std::string_view> characters(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = std::min(utf8SequenceLength(static_cast<unsigned char>(s[i])), s.size() - i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

void trim(std::string_view s, std::string_view chars, bool leading, bool trailing,
          std::string& out) {
  auto isTrimmed = [&](char c) { return chars.find(c) != std::string_view::npos; };
  size_t b = 0, e = s.size();
  if (leading)
    while (b < e && isTrimmed(s[b])) ++b;
  if (trailing)
    while (e > b && isTrimmed(s[e - 1])) --e;
  out.append(s.substr(b, e - b));
}

// 1-based character position of `needle` in `haystack` at or after character `from` (1-based);
// 0 when absent.
int64_t locate(std::string_view needle, std::string_view haystack, int64_t from) {
  if (from < 1) return 0;
  const size_t startByte = codePointOffset(haystack, static_cast<size_t>(from - 1));
  if (static_cast<int64_t>(codePointCount(haystack)) < from - 1) return 0;
  const size_t at = haystack.find(needle, startByte);
  if (at == std::string_view::npos) return 0;
  return static_cast<int64_t>(codePointCount(haystack.substr(0, at))) + 1;
}

void pad(std::string_view s, int64_t length, std::string_view padding, bool left,
         std::string& out) {
  auto chars = characters(s);
  const int64_t have = static_cast<int64_t>(chars.size());
  if (length <= have) {
    for (int64_t i = 0; i < length; ++i) out.append(chars[static_cast<size_t>(i)]);
    return;
  }
  auto padChars = characters(padding);
  std::string fill;
  for (int64_t i = 0; i < length - have; ++i)
    fill.append(padChars[static_cast<size_t>(i) % padChars.size()]);
  if (left) {
    out += fill;
    out.append(s);
  } else {
    out.append(s);
    out += fill;
  }
}

// Compiles regular expressions once for a literal pattern, else when the pattern changes.
class RegexCache {
 public:
  explicit RegexCache(const BoundExprPtr& pattern) {
    if (pattern->isLiteral() && !pattern->literal.isNull) get(pattern->literal.text);
  }
  // nullptr for an invalid expression.
  const std::regex* get(std::string_view pattern) {
    if (!compiled_ || text_ != pattern) {
      text_ = std::string(pattern);
      compiled_ = true;
      try {
        regex_.emplace(text_, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        regex_.reset();
      }
    }
    return regex_ ? &*regex_ : nullptr;
  }

 private:
  bool compiled_ = false;
  std::string text_;
  std::optional<std::regex> regex_;
};

// Java's replacement syntax ($n groups, \x escapes) in std::regex's format syntax.
std::string javaReplacementToFormat(std::string_view java) {
  std::string out;
  for (size_t i = 0; i < java.size(); ++i) {
    const char c = java[i];
    if (c == '\\' && i + 1 < java.size()) {
      const char next = java[++i];
      if (next == '$')
        out += "$$";
      else
        out += next;
    } else if (c == '$' && i + 1 < java.size() && java[i + 1] == '0') {
      out += "$&";
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

template <class Fn>
std::function<Result<KernelFn>(const BoundExpr&)> regexFactory(Fn perRow, bool textResult) {
  return [perRow, textResult](const BoundExpr& call) -> Result<KernelFn> {
    auto cache = std::make_shared<RegexCache>(call.args[1]);
    if (textResult)
      return textKernel([cache, perRow](const KernelCall& c, size_t i, std::string& out) {
        const std::regex* re = cache->get(c.arg(1).text(i));
        return re != nullptr && perRow(c, i, *re, out);
      });
    return integerKernel([cache, perRow](const KernelCall& c, size_t i, int64_t& out) {
      const std::regex* re = cache->get(c.arg(1).text(i));
      if (re == nullptr) return false;
      std::string unused;
      out = perRow(c, i, *re, unused);
      return true;
    });
  };
}

// MD5 (RFC 1321) of the UTF-8 bytes, as 32 lower-case hex digits.
std::string md5Hex(std::string_view input) {
  static const uint32_t kS[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                  5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
  static uint32_t kK[64];
  static const bool init = [] {
    for (int i = 0; i < 64; ++i)
      kK[i] = static_cast<uint32_t>(std::fabs(std::sin(i + 1.0)) * 4294967296.0);
    return true;
  }();
  (void)init;
  std::string msg(input);
  const uint64_t bitLength = static_cast<uint64_t>(input.size()) * 8;
  msg += static_cast<char>(0x80);
  while (msg.size() % 64 != 56) msg += '\0';
  for (int i = 0; i < 8; ++i) msg += static_cast<char>((bitLength >> (8 * i)) & 0xff);
  uint32_t a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
  for (size_t chunk = 0; chunk < msg.size(); chunk += 64) {
    uint32_t m[16];
    for (int i = 0; i < 16; ++i) {
      const auto* p = reinterpret_cast<const unsigned char*>(msg.data() + chunk + 4 * i);
      m[i] = p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
    }
    uint32_t a = a0, b = b0, c = c0, d = d0;
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      int g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      f = f + a + kK[i] + m[g];
      a = d;
      d = c;
      c = b;
      b = b + ((f << kS[i]) | (f >> (32 - kS[i])));
    }
    a0 += a;
    b0 += b;
    c0 += c;
    d0 += d;
  }
  std::string out;
  static const char* kHex = "0123456789abcdef";
  for (uint32_t v : {a0, b0, c0, d0})
    for (int i = 0; i < 4; ++i) {
      const unsigned byte = (v >> (8 * i)) & 0xff;
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  return out;
}

}  // namespace

void registerStringFunctions(FunctionRegistry& r) {
  using P = Param;
  const ExprType kText = ExprType::kVarchar;
  const ExprType kInt = ExprType::kInt;

  // CONCAT / ||: NULL if any argument is NULL.
  auto concat = textKernel([](const KernelCall& c, size_t i, std::string& out) {
    for (size_t k = 0; k < c.argCount; ++k) out.append(c.arg(k).text(i));
    return true;
  });
  defineFunction(r, "CONCAT", {}, "(VARCHAR, ...)", {P::kText}, 1, kText, false, concat, true);
  {
    const FunctionDef* def =
        r.define({"||", Syntax::kInfix, SpecialForm::kNone, true, false, true, stateless(concat)});
    r.add("||", [def](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      GLINT_RETURN_IF_ERROR(checkParams("||", "(VARCHAR, VARCHAR)", args, {P::kText, P::kText}, 2));
      return makeCallNode(def, ExprType::kVarchar, std::move(args));
    });
  }
  // CONCAT_WS skips NULL values and is NULL only when the separator is.
  {
    const FunctionDef* def = r.define({"CONCAT_WS", Syntax::kFunction, SpecialForm::kNone, true,
                                       false, false, stateless([](KernelCall& c) {
                                         std::string buf;
                                         for (size_t i = 0; i < c.rows; ++i) {
                                           if (c.arg(0).isNull(i)) {
                                             c.out->appendNull();
                                             continue;
                                           }
                                           buf.clear();
                                           bool first = true;
                                           for (size_t k = 1; k < c.argCount; ++k) {
                                             if (c.arg(k).isNull(i)) continue;
                                             if (!first) buf.append(c.arg(0).text(i));
                                             buf.append(c.arg(k).text(i));
                                             first = false;
                                           }
                                           c.out->appendString(buf);
                                         }
                                       })});
    r.add("CONCAT_WS", [def](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      GLINT_RETURN_IF_ERROR(
          checkParams("CONCAT_WS", "(VARCHAR, VARCHAR, ...)", args, {P::kText, P::kText}, 2, true));
      const bool nullable = args[0]->nullable;
      return makeCallNode(def, ExprType::kVarchar, std::move(args), nullable);
    });
  }

  defineFunction(r, "UPPER", {}, "(VARCHAR)", {P::kText}, 1, kText, false,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   for (char ch : c.arg(0).text(i)) out += asciiUpper(ch);
                   return true;
                 }));
  defineFunction(r, "LOWER", {}, "(VARCHAR)", {P::kText}, 1, kText, false,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   for (char ch : c.arg(0).text(i)) out += asciiLower(ch);
                   return true;
                 }));
  defineFunction(r, "INITCAP", {}, "(VARCHAR)", {P::kText}, 1, kText, false,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   bool wordStart = true;
                   for (char ch : c.arg(0).text(i)) {
                     if (asciiAlnum(ch)) {
                       out += wordStart ? asciiUpper(ch) : asciiLower(ch);
                       wordStart = false;
                     } else {
                       out += ch;
                       // Non-ASCII bytes are letters of words, not separators.
                       wordStart = static_cast<unsigned char>(ch) < 0x80;
                     }
                   }
                   return true;
                 }));
  defineFunction(r, "CHAR_LENGTH", {"CHARACTER_LENGTH"}, "(VARCHAR)", {P::kText}, 1, kInt, false,
                 integerKernel([](const KernelCall& c, size_t i, int64_t& out) {
                   out = static_cast<int64_t>(codePointCount(c.arg(0).text(i)));
                   return true;
                 }));
  defineFunction(r, "SUBSTRING", {"SUBSTR"}, "(VARCHAR, INT[, INT])",
                 {P::kText, P::kInteger, P::kInteger}, 2, kText, true,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   std::optional<int64_t> length;
                   if (c.argCount > 2) length = c.arg(2).integer(i);
                   return substring(c.arg(0).text(i), c.arg(1).integer(i), length, out);
                 }));
  defineFunction(r, "LEFT", {}, "(VARCHAR, INT)", {P::kText, P::kInteger}, 2, kText, false,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   const int64_t n = c.arg(1).integer(i);
                   if (n > 0) substring(c.arg(0).text(i), 1, n, out);
                   return true;
                 }));
  defineFunction(r, "RIGHT", {}, "(VARCHAR, INT)", {P::kText, P::kInteger}, 2, kText, false,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   const int64_t n = c.arg(1).integer(i);
                   const std::string_view s = c.arg(0).text(i);
                   const int64_t chars = static_cast<int64_t>(codePointCount(s));
                   if (n > 0) substring(s, n >= chars ? 1 : chars - n + 1, std::nullopt, out);
                   return true;
                 }));

  // TRIM(string) or TRIM(mode, characters, string); LTRIM/RTRIM(string[, characters]).
  {
    const FunctionDef* def = r.define(
        {"TRIM", Syntax::kFunction, SpecialForm::kNone, true, false, true,
         [](const BoundExpr& call) -> Result<KernelFn> {
           bool leading = true, trailing = true;
           if (call.args.size() == 3) {
             const std::string mode = upperCase(call.args[0]->literal.text);
             leading = mode != "TRAILING";
             trailing = mode != "LEADING";
           }
           return textKernel([leading, trailing](const KernelCall& c, size_t i, std::string& out) {
             if (c.argCount == 1) {
               trim(c.arg(0).text(i), " ", true, true, out);
             } else {
               trim(c.arg(2).text(i), c.arg(1).text(i), leading, trailing, out);
             }
             return true;
           });
         }});
    r.add("TRIM", [def](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      const char* expected = "(VARCHAR) or ('BOTH'|'LEADING'|'TRAILING', VARCHAR, VARCHAR)";
      if (args.size() != 1 && args.size() != 3) return signatureError("TRIM", expected, args);
      if (args.size() == 3) {
        auto mode = keywordArgument("TRIM", args[0], "BOTH, LEADING or TRAILING");
        if (!mode.isOk()) return mode.status();
        if (*mode != "BOTH" && *mode != "LEADING" && *mode != "TRAILING")
          return signatureError("TRIM", expected, args);
      }
      for (size_t k = args.size() == 3 ? 1 : 0; k < args.size(); ++k) {
        args[k] = adoptNullType(args[k], ExprType::kVarchar);
        if (args[k]->type != ExprType::kVarchar) return signatureError("TRIM", expected, args);
      }
      return makeCallNode(def, ExprType::kVarchar, std::move(args));
    });
  }
  for (bool left : {true, false}) {
    defineFunction(r, left ? "LTRIM" : "RTRIM", {}, "(VARCHAR[, VARCHAR])", {P::kText, P::kText}, 1,
                   kText, false,
                   textKernel([left](const KernelCall& c, size_t i, std::string& out) {
                     const std::string_view chars = c.argCount > 1 ? c.arg(1).text(i) : " ";
                     trim(c.arg(0).text(i), chars, left, !left, out);
                     return true;
                   }));
  }

  defineFunction(r, "REPLACE", {}, "(VARCHAR, VARCHAR, VARCHAR)", {P::kText, P::kText, P::kText}, 3,
                 kText, false, textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   const std::string_view s = c.arg(0).text(i), from = c.arg(1).text(i),
                                          to = c.arg(2).text(i);
                   if (from.empty()) {
                     // Java's String.replace("", x) puts x around every character.
                     out.append(to);
                     for (std::string_view ch : characters(s)) {
                       out.append(ch);
                       out.append(to);
                     }
                     return true;
                   }
                   size_t pos = 0;
                   for (size_t at; (at = s.find(from, pos)) != std::string_view::npos;) {
                     out.append(s.substr(pos, at - pos));
                     out.append(to);
                     pos = at + from.size();
                   }
                   out.append(s.substr(pos));
                   return true;
                 }));
  defineFunction(r, "POSITION", {}, "(VARCHAR needle, VARCHAR haystack)", {P::kText, P::kText}, 2,
                 kInt, false, integerKernel([](const KernelCall& c, size_t i, int64_t& out) {
                   out = locate(c.arg(0).text(i), c.arg(1).text(i), 1);
                   return true;
                 }));
  defineFunction(r, "LOCATE", {}, "(VARCHAR needle, VARCHAR haystack[, INT start])",
                 {P::kText, P::kText, P::kInteger}, 2, kInt, false,
                 integerKernel([](const KernelCall& c, size_t i, int64_t& out) {
                   const int64_t from = c.argCount > 2 ? c.arg(2).integer(i) : 1;
                   out = locate(c.arg(0).text(i), c.arg(1).text(i), from);
                   return true;
                 }));
  defineFunction(r, "INSTR", {}, "(VARCHAR haystack, VARCHAR needle)", {P::kText, P::kText}, 2,
                 kInt, false, integerKernel([](const KernelCall& c, size_t i, int64_t& out) {
                   out = locate(c.arg(1).text(i), c.arg(0).text(i), 1);
                   return true;
                 }));
  for (bool left : {true, false}) {
    // NULL for a negative length or an empty padding, as Flink's LPAD/RPAD.
    defineFunction(r, left ? "LPAD" : "RPAD", {}, "(VARCHAR, INT, VARCHAR)",
                   {P::kText, P::kInteger, P::kText}, 3, kText, true,
                   textKernel([left](const KernelCall& c, size_t i, std::string& out) {
                     const int64_t length = c.arg(1).integer(i);
                     const std::string_view padding = c.arg(2).text(i);
                     if (length < 0 || padding.empty()) return false;
                     pad(c.arg(0).text(i), length, padding, left, out);
                     return true;
                   }));
  }
  defineFunction(r, "SPLIT_INDEX", {}, "(VARCHAR, VARCHAR, INT)", {P::kText, P::kText, P::kInteger},
                 3, kText, true, textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   const std::string_view s = c.arg(0).text(i), sep = c.arg(1).text(i);
                   int64_t index = c.arg(2).integer(i);
                   if (index < 0) return false;
                   if (sep.empty()) {
                     if (index != 0) return false;
                     out.append(s);
                     return true;
                   }
                   size_t pos = 0;
                   for (; index > 0; --index) {
                     const size_t at = s.find(sep, pos);
                     if (at == std::string_view::npos) return false;
                     pos = at + sep.size();
                   }
                   const size_t end = s.find(sep, pos);
                   out.append(s.substr(pos, end == std::string_view::npos ? end : end - pos));
                   return true;
                 }));
  defineFunction(r, "REPEAT", {}, "(VARCHAR, INT)", {P::kText, P::kInteger}, 2, kText, false,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   for (int64_t k = c.arg(1).integer(i); k > 0; --k) out.append(c.arg(0).text(i));
                   return true;
                 }));
  defineFunction(r, "REVERSE", {}, "(VARCHAR)", {P::kText}, 1, kText, false,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   auto chars = characters(c.arg(0).text(i));
                   for (auto it = chars.rbegin(); it != chars.rend(); ++it) out.append(*it);
                   return true;
                 }));
  defineFunction(r, "ASCII", {}, "(VARCHAR)", {P::kText}, 1, kInt, false,
                 integerKernel([](const KernelCall& c, size_t i, int64_t& out) {
                   const std::string_view s = c.arg(0).text(i);
                   out = s.empty() ? 0 : static_cast<unsigned char>(s[0]);
                   return true;
                 }));
  defineFunction(r, "CHR", {}, "(INT)", {P::kInteger}, 1, kText, true,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   const int64_t v = c.arg(0).integer(i);
                   if (v < 0) return false;
                   const unsigned code = static_cast<unsigned>(v % 256);
                   if (code < 0x80) {
                     out += static_cast<char>(code);
                   } else {  // Latin-1 character, UTF-8 encoded
                     out += static_cast<char>(0xC0 | (code >> 6));
                     out += static_cast<char>(0x80 | (code & 0x3F));
                   }
                   return true;
                 }));
  defineFunction(r, "MD5", {}, "(VARCHAR)", {P::kText}, 1, kText, false,
                 textKernel([](const KernelCall& c, size_t i, std::string& out) {
                   out = md5Hex(c.arg(0).text(i));
                   return true;
                 }));

  // Regular expressions.
  auto defineRegex = [&r](const std::string& name, const std::string& expected,
                          std::vector<Param> params, size_t minArgs, ExprType result,
                          std::function<Result<KernelFn>(const BoundExpr&)> factory) {
    const FunctionDef* def = r.define(
        {name, Syntax::kFunction, SpecialForm::kNone, true, false, true, std::move(factory)});
    r.add(name, [=](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      GLINT_RETURN_IF_ERROR(checkParams(name, expected, args, params, minArgs));
      return makeCallNode(def, result, std::move(args), true);
    });
  };
  defineRegex("REGEXP", "(VARCHAR, VARCHAR)", {P::kText, P::kText}, 2, ExprType::kBoolean,
              regexFactory(
                  [](const KernelCall& c, size_t i, const std::regex& re, std::string&) {
                    const std::string_view s = c.arg(0).text(i);
                    return std::regex_search(s.begin(), s.end(), re);
                  },
                  false));
  defineRegex("REGEXP_EXTRACT", "(VARCHAR, VARCHAR[, INT])", {P::kText, P::kText, P::kInteger}, 2,
              kText,
              regexFactory(
                  [](const KernelCall& c, size_t i, const std::regex& re, std::string& out) {
                    const std::string_view s = c.arg(0).text(i);
                    const int64_t group = c.argCount > 2 ? c.arg(2).integer(i) : 1;
                    std::match_results<std::string_view::const_iterator> m;
                    if (!std::regex_search(s.begin(), s.end(), m, re)) return false;
                    if (group < 0 || static_cast<size_t>(group) >= m.size() || !m[group].matched)
                      return false;
                    out.append(m[group].first, m[group].second);
                    return true;
                  },
                  true));
  defineRegex("REGEXP_REPLACE", "(VARCHAR, VARCHAR, VARCHAR)", {P::kText, P::kText, P::kText}, 3,
              kText,
              regexFactory(
                  [](const KernelCall& c, size_t i, const std::regex& re, std::string& out) {
                    const std::string_view s = c.arg(0).text(i);
                    const std::string format = javaReplacementToFormat(c.arg(2).text(i));
                    std::regex_replace(std::back_inserter(out), s.begin(), s.end(), re, format);
                    return true;
                  },
                  true));
}

}  // namespace glint::sql
