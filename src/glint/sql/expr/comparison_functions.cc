// Comparison, logic (three-valued), NULL tests, conditional functions and LIKE.
#include <memory>

#include "glint/sql/expr/function_registry.h"
#include "glint/sql/expr/text.h"

namespace glint::sql {

namespace {

enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };

template <Cmp kOp, class T>
bool compare(const T& a, const T& b) {
  if constexpr (kOp == Cmp::kEq) return a == b;
  if constexpr (kOp == Cmp::kNe) return a != b;
  if constexpr (kOp == Cmp::kLt) return a < b;
  if constexpr (kOp == Cmp::kLe) return a <= b;
  if constexpr (kOp == Cmp::kGt) return a > b;
  if constexpr (kOp == Cmp::kGe) return a >= b;
}

template <Cmp kOp, class T>
void compareKernel(KernelCall& c) {
  int64_t* out = outIntegers(c);
  withValues<T>(c.arg(0), [&](auto a) {
    withValues<T>(c.arg(1), [&](auto b) {
      for (size_t i = 0; i < c.rows; ++i) out[i] = compare<kOp>(a[i], b[i]);
    });
  });
}

// Brings two operands to a type they can be compared in: numeric widening, DATE to
// TIMESTAMP, a VARCHAR compared with a date/time value is cast to that type (Calcite's
// implicit coercion, so `ts > '2020-01-01 00:00:00'` works).
Status resolveComparable(std::string_view name, std::vector<BoundExprPtr>& args) {
  if (args.size() != 2) return signatureError(name, "(value, value)", args);
  ExprType a = args[0]->type, b = args[1]->type;
  if (a == ExprType::kNull && b == ExprType::kNull) a = b = ExprType::kBigint;
  if (a == ExprType::kNull) a = b;
  if (b == ExprType::kNull) b = a;
  ExprType target;
  if (a == b) {
    target = a;
  } else if (isNumeric(a) && isNumeric(b)) {
    target =
        (a == ExprType::kDouble || b == ExprType::kDouble) ? ExprType::kDouble : ExprType::kBigint;
  } else if (isTimePoint(a) && isTimePoint(b)) {
    auto t = commonType({a, b}, name);
    if (!t.isOk()) return t.status();
    target = *t;
  } else if (a == ExprType::kVarchar && isTimePoint(b)) {
    target = b;
  } else if (b == ExprType::kVarchar && isTimePoint(a)) {
    target = a;
  } else {
    return signatureError(name, "two comparable values", args);
  }
  for (auto& arg : args) {
    auto c = coerceTo(arg, target);
    if (!c.isOk()) return c.status();
    arg = std::move(c).value();
  }
  return Status::ok();
}

template <Cmp kOp>
void defineComparison(FunctionRegistry& r, const std::string& name,
                      std::initializer_list<std::string> aliases = {}) {
  const FunctionDef* ints = r.define({name, Syntax::kInfix, SpecialForm::kNone, true, false, true,
                                      stateless(&compareKernel<kOp, int64_t>)});
  const FunctionDef* reals = r.define({name, Syntax::kInfix, SpecialForm::kNone, true, false, true,
                                       stateless(&compareKernel<kOp, double>)});
  const FunctionDef* texts = r.define({name, Syntax::kInfix, SpecialForm::kNone, true, false, true,
                                       stateless(&compareKernel<kOp, std::string_view>)});
  auto resolver = [=](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    GLINT_RETURN_IF_ERROR(resolveComparable(name, args));
    const PhysicalType p = physicalTypeOf(storageTypeOf(args[0]->type));
    const FunctionDef* def = p == PhysicalType::kInt64    ? ints
                             : p == PhysicalType::kDouble ? reals
                                                          : texts;
    return makeCallNode(def, ExprType::kBoolean, std::move(args));
  };
  r.add(name, resolver);
  for (const auto& alias : aliases) r.add(alias, resolver);
}

// IS [NOT] DISTINCT FROM: equality where NULL equals NULL; never NULL.
template <class T>
void distinctKernel(KernelCall& c, bool distinct) {
  int64_t* out = outIntegers(c);
  const KernelArg &a = c.arg(0), &b = c.arg(1);
  withValues<T>(a, [&](auto va) {
    withValues<T>(b, [&](auto vb) {
      for (size_t i = 0; i < c.rows; ++i) {
        const bool na = a.isNull(i), nb = b.isNull(i);
        const bool same = (na && nb) || (!na && !nb && va[i] == vb[i]);
        out[i] = same != distinct;
      }
    });
  });
}

// ---- LIKE

// A compiled LIKE pattern: '%' matches any sequence, '_' one character (code point);
// `escape` (if not 0) makes the next '%', '_' or escape character literal.
class LikePattern {
 public:
  static Result<LikePattern> compile(std::string_view pattern, char escape) {
    LikePattern p;
    Segment current;
    bool sawPercent = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      char c = pattern[i];
      if (escape != 0 && c == escape) {
        if (i + 1 >= pattern.size() ||
            (pattern[i + 1] != '%' && pattern[i + 1] != '_' && pattern[i + 1] != escape))
          return Status::invalidArgument("LIKE: invalid escape sequence in pattern '" +
                                         std::string(pattern) + "' at position " +
                                         std::to_string(i + 1));
        current.elements.push_back({pattern[++i], false});
        continue;
      }
      if (c == '%') {
        p.segments_.push_back(std::move(current));
        current = Segment();
        sawPercent = true;
        continue;
      }
      current.elements.push_back({c, c == '_'});
    }
    p.segments_.push_back(std::move(current));
    // segments_ are the pieces between '%': the first is anchored at the start, the last at
    // the end; with no '%' there is one segment anchored at both ends.
    p.hasPercent_ = sawPercent;
    for (auto& s : p.segments_) {
      s.literal = true;
      for (const auto& e : s.elements) {
        if (e.any) s.literal = false;
        s.text += e.c;
      }
    }
    return p;
  }

  bool matches(std::string_view s) const {
    if (!hasPercent_) return matchAt(segments_[0], s, 0) == s.size();
    const Segment& first = segments_.front();
    const Segment& last = segments_.back();
    size_t pos = matchAt(first, s, 0);
    if (pos == std::string_view::npos) return false;
    for (size_t k = 1; k + 1 < segments_.size(); ++k) {
      pos = find(segments_[k], s, pos);
      if (pos == std::string_view::npos) return false;
    }
    // The last segment must end exactly at the end of the string.
    if (last.elements.empty()) return true;
    if (last.literal) {
      return s.size() - pos >= last.text.size() &&
             s.substr(s.size() - last.text.size()) == last.text;
    }
    for (size_t start = pos; start <= s.size(); ++start) {
      if (start < s.size() && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) continue;
      if (matchAt(last, s, start) == s.size()) return true;
    }
    return false;
  }

 private:
  struct Element {
    char c;
    bool any;  // '_'
  };
  struct Segment {
    std::vector<Element> elements;
    bool literal = true;
    std::string text;
  };

  // End of `seg` matched at `pos`, or npos.
  static size_t matchAt(const Segment& seg, std::string_view s, size_t pos) {
    if (seg.literal) {
      if (s.size() - pos < seg.text.size() || s.compare(pos, seg.text.size(), seg.text) != 0)
        return std::string_view::npos;
      return pos + seg.text.size();
    }
    for (const Element& e : seg.elements) {
      if (pos >= s.size()) return std::string_view::npos;
      if (e.any) {
        pos += utf8SequenceLength(static_cast<unsigned char>(s[pos]));
      } else {
        if (s[pos] != e.c) return std::string_view::npos;
        ++pos;
      }
    }
    return pos > s.size() ? std::string_view::npos : pos;
  }
  // End of the leftmost match of `seg` at or after `pos`, or npos.
  static size_t find(const Segment& seg, std::string_view s, size_t pos) {
    if (seg.literal) {
      size_t at = s.find(seg.text, pos);
      return at == std::string_view::npos ? at : at + seg.text.size();
    }
    for (size_t start = pos; start <= s.size(); ++start) {
      if (start < s.size() && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) continue;
      size_t end = matchAt(seg, s, start);
      if (end != std::string_view::npos) return end;
    }
    return std::string_view::npos;
  }

  std::vector<Segment> segments_;
  bool hasPercent_ = false;
};

Result<char> likeEscape(const BoundExpr& call) {
  if (call.args.size() < 3) return char{0};
  const BoundExprPtr& e = call.args[2];
  if (!e->isLiteral() || e->literal.isNull || e->literal.text.size() != 1)
    return Status::invalidArgument("LIKE: ESCAPE expects a single-character literal, got " +
                                   e->toString());
  return e->literal.text[0];
}

}  // namespace

void registerComparisonFunctions(FunctionRegistry& r) {
  defineComparison<Cmp::kEq>(r, "=");
  defineComparison<Cmp::kNe>(r, "<>", {"!="});
  defineComparison<Cmp::kLt>(r, "<");
  defineComparison<Cmp::kLe>(r, "<=");
  defineComparison<Cmp::kGt>(r, ">");
  defineComparison<Cmp::kGe>(r, ">=");

  for (bool distinct : {true, false}) {
    const std::string name = distinct ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM";
    auto makeDef = [&](auto kernel) {
      return r.define({name, Syntax::kInfix, SpecialForm::kNone, true, false, false,
                       stateless([kernel, distinct](KernelCall& c) { kernel(c, distinct); })});
    };
    const FunctionDef* ints = makeDef(&distinctKernel<int64_t>);
    const FunctionDef* reals = makeDef(&distinctKernel<double>);
    const FunctionDef* texts = makeDef(&distinctKernel<std::string_view>);
    r.add(name, [=](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      GLINT_RETURN_IF_ERROR(resolveComparable(name, args));
      const PhysicalType p = physicalTypeOf(storageTypeOf(args[0]->type));
      const FunctionDef* def = p == PhysicalType::kInt64    ? ints
                               : p == PhysicalType::kDouble ? reals
                                                            : texts;
      return makeCallNode(def, ExprType::kBoolean, std::move(args), false);
    });
  }

  // AND / OR: the evaluator runs them itself (lazily, with three-valued logic).
  for (auto [name, special] : {std::pair{"AND", SpecialForm::kAnd}, {"OR", SpecialForm::kOr}}) {
    const FunctionDef* def = r.define({name, Syntax::kInfix, special, true, false, false, nullptr});
    r.add(name,
          [def, name = std::string(name)](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
            if (args.size() < 2) return signatureError(name, "(BOOLEAN, BOOLEAN)", args);
            for (auto& a : args) {
              a = adoptNullType(a, ExprType::kBoolean);
              if (a->type != ExprType::kBoolean)
                return signatureError(name, "(BOOLEAN, BOOLEAN)", args);
            }
            // More than two operands nest to the left: a AND b AND c = (a AND b) AND c.
            BoundExprPtr result = args[0];
            for (size_t i = 1; i < args.size(); ++i)
              result = makeCallNode(def, ExprType::kBoolean, {result, args[i]});
            return result;
          });
  }

  const FunctionDef* notDef = r.define(
      {"NOT", Syntax::kPrefix, SpecialForm::kNone, true, false, true, stateless([](KernelCall& c) {
         int64_t* out = outIntegers(c);
         withIntegers(c.arg(0), [&](auto a) {
           for (size_t i = 0; i < c.rows; ++i) out[i] = a[i] == 0;
         });
       })});
  r.add("NOT", [notDef](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() != 1) return signatureError("NOT", "(BOOLEAN)", args);
    args[0] = adoptNullType(args[0], ExprType::kBoolean);
    if (args[0]->type != ExprType::kBoolean) return signatureError("NOT", "(BOOLEAN)", args);
    return makeCallNode(notDef, ExprType::kBoolean, std::move(args));
  });

  // IS [NOT] NULL on any type; IS [NOT] TRUE/FALSE/UNKNOWN on BOOLEAN. Never NULL.
  struct Test {
    const char* name;
    bool anyType;
    // Result from (is null, value): one of the truth tables of SQL.
    bool (*result)(bool isNull, int64_t value);
  };
  static const Test kTests[] = {
      {"IS NULL", true, [](bool n, int64_t) { return n; }},
      {"IS NOT NULL", true, [](bool n, int64_t) { return !n; }},
      {"IS TRUE", false, [](bool n, int64_t v) { return !n && v != 0; }},
      {"IS NOT TRUE", false, [](bool n, int64_t v) { return n || v == 0; }},
      {"IS FALSE", false, [](bool n, int64_t v) { return !n && v == 0; }},
      {"IS NOT FALSE", false, [](bool n, int64_t v) { return n || v != 0; }},
      {"IS UNKNOWN", false, [](bool n, int64_t) { return n; }},
      {"IS NOT UNKNOWN", false, [](bool n, int64_t) { return !n; }},
  };
  for (const Test& test : kTests) {
    const FunctionDef* def =
        r.define({test.name, Syntax::kPostfix, SpecialForm::kNone, true, false, false,
                  stateless([fn = test.result, anyType = test.anyType](KernelCall& c) {
                    const KernelArg& a = c.arg(0);
                    int64_t* out = outIntegers(c);
                    const bool intValues = a.column->physical() == PhysicalType::kInt64 && !anyType;
                    for (size_t i = 0; i < c.rows; ++i)
                      out[i] = fn(a.isNull(i), intValues ? a.integer(i) : 0);
                  })});
    r.add(test.name, [def, test](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
      if (args.size() != 1) return signatureError(test.name, "(value)", args);
      if (!test.anyType) {
        args[0] = adoptNullType(args[0], ExprType::kBoolean);
        if (args[0]->type != ExprType::kBoolean)
          return signatureError(test.name, "(BOOLEAN)", args);
      }
      return makeCallNode(def, ExprType::kBoolean, std::move(args), false);
    });
  }

  // COALESCE (IFNULL is its two-argument form): lazily evaluated by the evaluator.
  const FunctionDef* coalesce = r.define(
      {"COALESCE", Syntax::kFunction, SpecialForm::kCoalesce, true, false, false, nullptr});
  auto coalesceResolver = [coalesce](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.empty()) return signatureError("COALESCE", "(value, ...)", args);
    std::vector<ExprType> types;
    for (const auto& a : args) types.push_back(a->type);
    auto type = commonType(types, "COALESCE");
    if (!type.isOk()) return type.status();
    bool nullable = true;
    for (auto& a : args) {
      auto c = coerceTo(a, *type);
      if (!c.isOk()) return c.status();
      a = std::move(c).value();
      nullable = nullable && a->nullable;
    }
    if (args.size() == 1) return args[0];
    return makeCallNode(coalesce, *type, std::move(args), nullable);
  };
  r.add("COALESCE", coalesceResolver);
  r.add("IFNULL", [coalesceResolver](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() != 2) return signatureError("IFNULL", "(value, value)", args);
    return coalesceResolver(args);
  });
  r.add("NULLIF", [](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() != 2) return signatureError("NULLIF", "(value, value)", args);
    auto eq = makeCall("=", {args[0], args[1]});
    if (!eq.isOk()) return eq.status();
    return makeCase({{std::move(eq).value(), makeNullLiteral(args[0]->type)}}, args[0]);
  });
  r.add("IF", [](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() != 3) return signatureError("IF", "(BOOLEAN, value, value)", args);
    return makeCase({{args[0], args[1]}}, args[2]);
  });

  // BETWEEN family, lowered to comparisons (the operand appears twice in the tree).
  auto between = [](const BoundExprPtr& v, const BoundExprPtr& lo,
                    const BoundExprPtr& hi) -> Result<BoundExprPtr> {
    auto ge = makeCall(">=", {v, lo});
    if (!ge.isOk()) return ge.status();
    auto le = makeCall("<=", {v, hi});
    if (!le.isOk()) return le.status();
    return makeCall("AND", {std::move(ge).value(), std::move(le).value()});
  };
  r.add("BETWEEN", [between](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() != 3) return signatureError("BETWEEN", "(value, low, high)", args);
    return between(args[0], args[1], args[2]);
  });
  r.add("NOT BETWEEN", [](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() != 3) return signatureError("NOT BETWEEN", "(value, low, high)", args);
    auto lt = makeCall("<", {args[0], args[1]});
    if (!lt.isOk()) return lt.status();
    auto gt = makeCall(">", {args[0], args[2]});
    if (!gt.isOk()) return gt.status();
    return makeCall("OR", {std::move(lt).value(), std::move(gt).value()});
  });
  auto symmetric = [between](std::vector<BoundExprPtr>& args,
                             bool negated) -> Result<BoundExprPtr> {
    if (args.size() != 3)
      return signatureError(negated ? "NOT BETWEEN SYMMETRIC" : "BETWEEN SYMMETRIC",
                            "(value, low, high)", args);
    auto a = between(args[0], args[1], args[2]);
    if (!a.isOk()) return a.status();
    auto b = between(args[0], args[2], args[1]);
    if (!b.isOk()) return b.status();
    auto either = makeCall("OR", {std::move(a).value(), std::move(b).value()});
    if (!either.isOk() || !negated) return either;
    return makeCall("NOT", {std::move(either).value()});
  };
  r.add("BETWEEN SYMMETRIC",
        [symmetric](std::vector<BoundExprPtr>& args) { return symmetric(args, false); });
  r.add("NOT BETWEEN SYMMETRIC",
        [symmetric](std::vector<BoundExprPtr>& args) { return symmetric(args, true); });

  r.add("IN", [](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() < 2) return signatureError("IN", "(value, item, ...)", args);
    std::vector<BoundExprPtr> items(args.begin() + 1, args.end());
    return makeIn(args[0], std::move(items), false);
  });
  r.add("NOT IN", [](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    if (args.size() < 2) return signatureError("NOT IN", "(value, item, ...)", args);
    std::vector<BoundExprPtr> items(args.begin() + 1, args.end());
    return makeIn(args[0], std::move(items), true);
  });

  // LIKE (value, pattern[, escape]); a literal pattern is compiled once.
  const FunctionDef* like =
      r.define({"LIKE", Syntax::kFunction, SpecialForm::kNone, true, false, true,
                [](const BoundExpr& call) -> Result<KernelFn> {
                  auto escape = likeEscape(call);
                  if (!escape.isOk()) return escape.status();
                  const BoundExprPtr& pattern = call.args[1];
                  if (pattern->isLiteral()) {
                    if (pattern->literal.isNull)
                      return KernelFn([](KernelCall& c) { outIntegers(c); });
                    auto compiled = LikePattern::compile(pattern->literal.text, *escape);
                    if (!compiled.isOk()) return compiled.status();
                    auto p = std::make_shared<LikePattern>(std::move(compiled).value());
                    return KernelFn([p](KernelCall& c) {
                      int64_t* out = outIntegers(c);
                      withTexts(c.arg(0), [&](auto s) {
                        for (size_t i = 0; i < c.rows; ++i) out[i] = p->matches(s[i]);
                      });
                    });
                  }
                  // A pattern per row: recompile only when it changes.
                  struct Cache {
                    std::string text;
                    std::optional<LikePattern> pattern;
                  };
                  auto cache = std::make_shared<Cache>();
                  char esc = *escape;
                  return KernelFn([cache, esc](KernelCall& c) {
                    int64_t* out = outIntegers(c);
                    for (size_t i = 0; i < c.rows; ++i) {
                      out[i] = 0;
                      if (c.skip(i)) continue;
                      std::string_view p = c.arg(1).text(i);
                      if (!cache->pattern || cache->text != p) {
                        auto compiled = LikePattern::compile(p, esc);
                        if (!compiled.isOk()) raiseEvalError(c, compiled.status().message());
                        cache->pattern = std::move(compiled).value();
                        cache->text = std::string(p);
                      }
                      out[i] = cache->pattern->matches(c.arg(0).text(i));
                    }
                  });
                }});
  auto likeResolver = [like](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    const char* expected = "(VARCHAR, VARCHAR[, VARCHAR escape])";
    if (args.size() < 2 || args.size() > 3) return signatureError("LIKE", expected, args);
    for (auto& a : args) {
      a = adoptNullType(a, ExprType::kVarchar);
      if (a->type != ExprType::kVarchar) return signatureError("LIKE", expected, args);
    }
    if (args.size() == 3 &&
        (!args[2]->isLiteral() || args[2]->literal.isNull || args[2]->literal.text.size() != 1))
      return Status::invalidArgument("LIKE: ESCAPE expects a single-character literal, got " +
                                     args[2]->toString());
    if (args[1]->isLiteral() && !args[1]->literal.isNull) {
      // Reject a malformed literal pattern when the query is planned, not when it runs.
      auto p = LikePattern::compile(args[1]->literal.text,
                                    args.size() == 3 ? args[2]->literal.text[0] : 0);
      if (!p.isOk()) return p.status();
    }
    return makeCallNode(like, ExprType::kBoolean, std::move(args));
  };
  r.add("LIKE", likeResolver);
  r.add("NOT LIKE", [likeResolver](std::vector<BoundExprPtr>& args) -> Result<BoundExprPtr> {
    auto l = likeResolver(args);
    if (!l.isOk()) return l.status();
    return makeCall("NOT", {std::move(l).value()});
  });
}

}  // namespace glint::sql
