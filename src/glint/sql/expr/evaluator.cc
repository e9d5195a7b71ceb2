#include "glint/sql/expr/evaluator.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "glint/sql/expr/functions.h"
#include "glint/sql/expr/kernel.h"

namespace glint::sql {

namespace {

// The rows a node evaluates: batch row indexes, or rows [0, count) when `indexes` is null.
struct Rows {
  const uint32_t* indexes = nullptr;
  size_t count = 0;
  uint32_t at(size_t i) const { return indexes ? indexes[i] : static_cast<uint32_t>(i); }
};

struct Context {
  const Batch* batch = nullptr;
  EvalState state;
};

Column literalColumn(const Value& v, ExprType type) {
  Column c(storageTypeOf(type));
  if (v.isNull) {
    c.appendNull();
    return c;
  }
  switch (c.physical()) {
    case PhysicalType::kInt64:
      c.appendInt(v.integer);
      break;
    case PhysicalType::kDouble:
      c.appendDouble(v.real);
      break;
    case PhysicalType::kString:
      c.appendString(v.text);
      break;
  }
  return c;
}

class Node {
 public:
  explicit Node(const BoundExpr& e) : expr(&e), out(storageTypeOf(e.type)) {}
  virtual ~Node() = default;
  // Values for `rows` (rows.count of them, or one if the result is constant). The result
  // points into this node's scratch column or into the batch; it stays valid until the node
  // is evaluated again.
  virtual KernelArg eval(Context& ctx, Rows rows) = 0;

  const BoundExpr* expr;
  Column out;  // reused from batch to batch
};

using NodePtr = std::unique_ptr<Node>;

class ColumnNode final : public Node {
 public:
  ColumnNode(const BoundExpr& e) : Node(e) {}
  KernelArg eval(Context& ctx, Rows rows) override {
    const Column& column = ctx.batch->column(static_cast<size_t>(expr->column));
    if (rows.indexes == nullptr) return {&column, false};
    if (column.physical() == PhysicalType::kString) {
      out.clear();
      out.appendRows(column, rows.indexes, rows.count);
      return {&out, false};
    }
    // Fixed width: gather into the buffer kept from the last batch (no clear and refill).
    if (column.physical() == PhysicalType::kInt64)
      gather(column.ints().data(), rows, out.mutableInts());
    else
      gather(column.doubles().data(), rows, out.mutableDoubles());
    auto& mask = out.mutableNullMask();
    mask.clear();
    if (column.hasNulls()) gather(column.nullMask().data(), rows, mask);
    return {&out, false};
  }

 private:
  template <class T>
  static void gather(const T* source, Rows rows, std::vector<T>& target) {
    target.resize(rows.count);
    T* dst = target.data();
    for (size_t i = 0; i < rows.count; ++i) dst[i] = source[rows.indexes[i]];
  }
};

class LiteralNode final : public Node {
 public:
  LiteralNode(const BoundExpr& e) : Node(e) { out = literalColumn(e.literal, e.type); }
  KernelArg eval(Context&, Rows) override { return {&out, true}; }
};

class CallNode final : public Node {
 public:
  CallNode(const BoundExpr& e, std::vector<NodePtr> children, KernelFn kernel, bool propagatesNulls,
           bool perRow)
      : Node(e),
        children_(std::move(children)),
        kernel_(std::move(kernel)),
        propagatesNulls_(propagatesNulls),
        perRow_(perRow),
        args_(children_.size()) {}

  KernelArg eval(Context& ctx, Rows rows) override {
    bool allConstant = !perRow_;
    for (size_t k = 0; k < children_.size(); ++k) {
      args_[k] = children_[k]->eval(ctx, rows);
      allConstant = allConstant && args_[k].constant;
    }
    // Constant arguments give a constant result: the kernel computes one value.
    const size_t n = allConstant ? 1 : rows.count;
    const uint8_t* argNulls = propagatesNulls_ ? argumentNulls(n) : nullptr;
    // Fixed-width kernels size their output with outIntegers/outReals, which keeps the
    // buffer of the previous batch; appending (string) kernels need an empty column.
    if (out.physical() == PhysicalType::kString)
      out.clear();
    else
      out.mutableNullMask().clear();
    KernelCall call{args_.data(), args_.size(), n, argNulls, &ctx.state, &out, expr};
    kernel_(call);
    GLINT_CHECK_EQ(out.size(), n);
    if (argNulls != nullptr) {
      auto& mask = out.mutableNullMask();
      if (mask.empty()) {
        mask.assign(argNulls, argNulls + n);
      } else {
        for (size_t i = 0; i < n; ++i) mask[i] |= argNulls[i];
      }
    }
    return {&out, allConstant};
  }

 private:
  // OR of the arguments' null masks over n rows, or nullptr when no argument has a NULL.
  const uint8_t* argumentNulls(size_t n) {
    bool any = false;
    for (const KernelArg& a : args_) {
      if (!a.hasNulls()) continue;
      if (!any) {
        nulls_.assign(n, 0);
        any = true;
      }
      if (a.constant) {
        if (a.column->isNull(0)) std::fill(nulls_.begin(), nulls_.end(), 1);
      } else {
        const uint8_t* m = a.column->nullMask().data();
        for (size_t i = 0; i < n; ++i) nulls_[i] |= m[i];
      }
    }
    return any ? nulls_.data() : nullptr;
  }

  std::vector<NodePtr> children_;
  KernelFn kernel_;
  bool propagatesNulls_;
  bool perRow_;
  std::vector<KernelArg> args_;
  std::vector<uint8_t> nulls_;
};

// Builds a result from pieces: row i takes value local[i] of piece choice[i].
void assemble(Column& out, const std::vector<KernelArg>& pieces,
              const std::vector<uint32_t>& choice, const std::vector<uint32_t>& local, size_t n) {
  out.clear();
  bool anyNull = false;
  for (const KernelArg& p : pieces) anyNull = anyNull || (p.column != nullptr && p.hasNulls());
  switch (out.physical()) {
    case PhysicalType::kInt64: {
      auto& values = out.mutableInts();
      values.resize(n);
      for (size_t i = 0; i < n; ++i) values[i] = pieces[choice[i]].integer(local[i]);
      break;
    }
    case PhysicalType::kDouble: {
      auto& values = out.mutableDoubles();
      values.resize(n);
      for (size_t i = 0; i < n; ++i) values[i] = pieces[choice[i]].real(local[i]);
      break;
    }
    case PhysicalType::kString:
      for (size_t i = 0; i < n; ++i) out.appendString(pieces[choice[i]].text(local[i]));
      break;
  }
  if (anyNull) {
    auto& mask = out.mutableNullMask();
    mask.resize(n);
    for (size_t i = 0; i < n; ++i) mask[i] = pieces[choice[i]].isNull(local[i]);
  }
}

// Selection of the listed positions of `rows` (as batch row indexes).
Rows subset(Rows rows, const std::vector<uint32_t>& positions, std::vector<uint32_t>& storage) {
  if (positions.size() == rows.count) return rows;  // every row: keep the zero-copy form
  storage.resize(positions.size());
  for (size_t k = 0; k < positions.size(); ++k) storage[k] = rows.at(positions[k]);
  return {storage.data(), storage.size()};
}

inline bool isTrue(const KernelArg& a, size_t i) {
  return !a.isNull(i) && a.integer(i) != 0;
}

// AND / OR with three-valued logic; the right side only on rows the left side leaves open.
class LogicNode final : public Node {
 public:
  LogicNode(const BoundExpr& e, NodePtr left, NodePtr right, bool isAnd)
      : Node(e), left(std::move(left)), right(std::move(right)), isAnd(isAnd) {}

  KernelArg eval(Context& ctx, Rows rows) override {
    // The value that decides the result alone: FALSE for AND, TRUE for OR.
    const int64_t decisive = isAnd ? 0 : 1;
    const KernelArg l = left->eval(ctx, rows);
    if (l.constant && !l.isNull(0) && l.integer(0) == decisive) return l;
    open_.clear();
    const size_t n = l.constant ? rows.count : rows.count;
    for (size_t i = 0; i < n; ++i)
      if (l.isNull(i) || l.integer(i) != decisive) open_.push_back(static_cast<uint32_t>(i));
    out.clear();
    auto& values = out.mutableInts();
    values.resize(n);
    bool anyNull = false;
    std::vector<uint8_t> nulls(n, 0);
    for (size_t i = 0; i < n; ++i) {
      nulls[i] = l.isNull(i);
      anyNull = anyNull || nulls[i];
      values[i] = nulls[i] ? 0 : l.integer(i);
    }
    if (!open_.empty()) {
      const KernelArg r = right->eval(ctx, subset(rows, open_, selection_));
      for (size_t k = 0; k < open_.size(); ++k) {
        const size_t i = open_[k];
        const bool rNull = r.isNull(k);
        if (!rNull && r.integer(k) == decisive) {
          values[i] = decisive;
          nulls[i] = 0;
        } else if (rNull || nulls[i]) {
          values[i] = 0;
          nulls[i] = 1;
          anyNull = true;
        } else {
          values[i] = 1 - decisive;
        }
      }
    }
    if (anyNull) out.mutableNullMask() = std::move(nulls);
    return {&out, false};
  }

  NodePtr left, right;
  bool isAnd;
  // Selection buffers of the predicate path (filterRows), kept from batch to batch.
  std::vector<uint32_t> leftRows, restRows, rightRows;

 private:
  std::vector<uint32_t> open_, selection_;
};

class CoalesceNode final : public Node {
 public:
  CoalesceNode(const BoundExpr& e, std::vector<NodePtr> children)
      : Node(e), children_(std::move(children)), pieces_(children_.size()) {}

  KernelArg eval(Context& ctx, Rows rows) override {
    const size_t n = rows.count;
    choice_.assign(n, 0);
    local_.assign(n, 0);
    open_.resize(n);
    for (size_t i = 0; i < n; ++i) open_[i] = static_cast<uint32_t>(i);
    for (size_t k = 0; k < children_.size(); ++k) {
      const KernelArg r = children_[k]->eval(ctx, subset(rows, open_, selection_));
      pieces_[k] = r;
      next_.clear();
      for (size_t j = 0; j < open_.size(); ++j) {
        const uint32_t i = open_[j];
        choice_[i] = static_cast<uint32_t>(k);
        local_[i] = static_cast<uint32_t>(j);
        // Still NULL: the next argument decides (the last argument's NULL stays).
        if (r.isNull(j) && k + 1 < children_.size()) next_.push_back(i);
      }
      open_.swap(next_);
      if (open_.empty()) break;
    }
    for (size_t k = 0; k < pieces_.size(); ++k)
      if (pieces_[k].column == nullptr) pieces_[k] = pieces_[0];
    assemble(out, pieces_, choice_, local_, n);
    for (auto& p : pieces_) p = KernelArg{};
    return {&out, false};
  }

 private:
  std::vector<NodePtr> children_;
  std::vector<KernelArg> pieces_;
  std::vector<uint32_t> choice_, local_, open_, next_, selection_;
};

class CaseNode final : public Node {
 public:
  CaseNode(const BoundExpr& e, std::vector<NodePtr> children)
      : Node(e), children_(std::move(children)), pieces_((children_.size() + 1) / 2) {}

  KernelArg eval(Context& ctx, Rows rows) override {
    const size_t n = rows.count;
    const size_t branches = children_.size() / 2;
    choice_.assign(n, 0);
    local_.assign(n, 0);
    open_.resize(n);
    for (size_t i = 0; i < n; ++i) open_[i] = static_cast<uint32_t>(i);
    for (auto& p : pieces_) p = KernelArg{};
    for (size_t b = 0; b <= branches && !open_.empty(); ++b) {
      std::vector<uint32_t>* taken = &open_;
      if (b < branches) {
        const KernelArg cond = children_[2 * b]->eval(ctx, subset(rows, open_, selection_));
        matched_.clear();
        next_.clear();
        for (size_t j = 0; j < open_.size(); ++j)
          (isTrue(cond, j) ? matched_ : next_).push_back(open_[j]);
        if (matched_.empty()) continue;
        taken = &matched_;
      }
      Node* result = b < branches ? children_[2 * b + 1].get() : children_.back().get();
      pieces_[b] = result->eval(ctx, subset(rows, *taken, selection_));
      for (size_t j = 0; j < taken->size(); ++j) {
        choice_[(*taken)[j]] = static_cast<uint32_t>(b);
        local_[(*taken)[j]] = static_cast<uint32_t>(j);
      }
      if (b < branches)
        open_.swap(next_);
      else
        open_.clear();
    }
    for (auto& p : pieces_)
      if (p.column == nullptr) p = KernelArg{&empty_, true};
    assemble(out, pieces_, choice_, local_, n);
    return {&out, false};
  }

 private:
  std::vector<NodePtr> children_;  // when1, then1, ..., else
  std::vector<KernelArg> pieces_;  // per branch, the else last
  std::vector<uint32_t> choice_, local_, open_, next_, matched_, selection_;
  Column empty_{TypeId::kBigint};  // stands in for branches no row reached
};

// IN: literal lists are looked up in a prebuilt set; other lists compare item by item.
class InNode final : public Node {
 public:
  InNode(const BoundExpr& e, NodePtr value, std::vector<NodePtr> items)
      : Node(e), value_(std::move(value)), items_(std::move(items)) {
    literalList_ = true;
    for (size_t k = 1; k < e.args.size(); ++k) {
      const BoundExpr& item = *e.args[k];
      if (!item.isLiteral()) {
        literalList_ = false;
        continue;
      }
      if (item.literal.isNull) {
        listHasNull_ = true;
        continue;
      }
      ints_.push_back(item.literal.integer);
      reals_.push_back(item.literal.real);
      texts_.insert(item.literal.text);
    }
    std::sort(ints_.begin(), ints_.end());
    std::sort(reals_.begin(), reals_.end());
  }

  KernelArg eval(Context& ctx, Rows rows) override {
    const KernelArg v = value_->eval(ctx, rows);
    const size_t n = v.constant ? 1 : rows.count;
    out.clear();
    auto& values = out.mutableInts();
    values.assign(n, 0);
    std::vector<uint8_t> nulls(n, 0);
    bool anyNull = false;
    const PhysicalType physical = v.column->physical();
    if (literalList_) {
      for (size_t i = 0; i < n; ++i) {
        if (v.isNull(i)) {
          nulls[i] = 1;
          anyNull = true;
          continue;
        }
        bool found;
        if (physical == PhysicalType::kInt64)
          found = std::binary_search(ints_.begin(), ints_.end(), v.integer(i));
        else if (physical == PhysicalType::kDouble)
          found = std::binary_search(reals_.begin(), reals_.end(), v.real(i));
        else
          found = texts_.find(v.text(i)) != texts_.end();
        values[i] = found;
        if (!found && listHasNull_) {
          nulls[i] = 1;
          anyNull = true;
        }
      }
    } else {
      // Items may depend on the row: evaluate each over the same rows.
      std::vector<KernelArg> items;
      Rows itemRows = rows;
      for (auto& item : items_) items.push_back(item->eval(ctx, itemRows));
      for (size_t i = 0; i < rows.count; ++i) {
        const size_t vi = v.constant ? 0 : i;
        if (i >= n) break;
        if (v.isNull(vi)) {
          nulls[i] = 1;
          anyNull = true;
          continue;
        }
        bool found = false, sawNull = false;
        for (const KernelArg& it : items) {
          if (it.isNull(i)) {
            sawNull = true;
            continue;
          }
          if (physical == PhysicalType::kInt64    ? it.integer(i) == v.integer(vi)
              : physical == PhysicalType::kDouble ? it.real(i) == v.real(vi)
                                                  : it.text(i) == v.text(vi)) {
            found = true;
            break;
          }
        }
        values[i] = found;
        if (!found && sawNull) {
          nulls[i] = 1;
          anyNull = true;
        }
      }
    }
    if (anyNull) out.mutableNullMask() = std::move(nulls);
    return {&out, v.constant && literalList_};
  }

 private:
  NodePtr value_;
  std::vector<NodePtr> items_;
  bool literalList_ = true;
  bool listHasNull_ = false;
  std::vector<int64_t> ints_;
  std::vector<double> reals_;
  std::set<std::string, std::less<>> texts_;
};

Result<NodePtr> compileNode(const BoundExpr& e, const Schema& schema);

Result<std::vector<NodePtr>> compileChildren(const BoundExpr& e, const Schema& schema) {
  std::vector<NodePtr> out;
  for (const auto& a : e.args) {
    auto n = compileNode(*a, schema);
    if (!n.isOk()) return n.status();
    out.push_back(std::move(n).value());
  }
  return out;
}

Result<NodePtr> compileNode(const BoundExpr& e, const Schema& schema) {
  switch (e.kind) {
    case ExprKind::kColumn: {
      if (e.column < 0 || static_cast<size_t>(e.column) >= schema.size())
        return Status::invalidArgument("expression " + e.toString() + " reads column " +
                                       std::to_string(e.column) + " but the input has " +
                                       std::to_string(schema.size()) + " columns");
      const TypeId actual = schema.field(static_cast<size_t>(e.column)).type;
      if (columnTypeOf(e.type) != actual)
        return Status::invalidArgument("expression " + e.toString() + " expects column " +
                                       std::to_string(e.column) + " to be " +
                                       std::string(exprTypeName(e.type)) + ", the input has " +
                                       std::string(typeName(actual)));
      return NodePtr(std::make_unique<ColumnNode>(e));
    }
    case ExprKind::kLiteral:
      return NodePtr(std::make_unique<LiteralNode>(e));
    default:
      break;
  }
  auto children = compileChildren(e, schema);
  if (!children.isOk()) return children.status();
  std::vector<NodePtr> kids = std::move(children).value();
  switch (e.kind) {
    case ExprKind::kCast: {
      auto kernel = makeCastKernel(e.args[0]->type, e.type, e.tryCast);
      if (!kernel.isOk()) return kernel.status();
      return NodePtr(
          std::make_unique<CallNode>(e, std::move(kids), std::move(kernel).value(), true, false));
    }
    case ExprKind::kCase:
      return NodePtr(std::make_unique<CaseNode>(e, std::move(kids)));
    case ExprKind::kIn: {
      NodePtr value = std::move(kids[0]);
      kids.erase(kids.begin());
      return NodePtr(std::make_unique<InNode>(e, std::move(value), std::move(kids)));
    }
    case ExprKind::kCall:
      break;
    default:
      return Status::internal("unexpected expression kind");
  }
  const FunctionDef& f = *e.function;
  switch (f.special) {
    case SpecialForm::kAnd:
    case SpecialForm::kOr:
      return NodePtr(std::make_unique<LogicNode>(e, std::move(kids[0]), std::move(kids[1]),
                                                 f.special == SpecialForm::kAnd));
    case SpecialForm::kCoalesce:
      return NodePtr(std::make_unique<CoalesceNode>(e, std::move(kids)));
    case SpecialForm::kNone:
      break;
  }
  auto kernel = f.makeKernel(e);
  if (!kernel.isOk())
    return Status::invalidArgument(std::string(f.name) + ": " + kernel.status().message());
  return NodePtr(std::make_unique<CallNode>(e, std::move(kids), std::move(kernel).value(),
                                            f.propagatesNulls, f.perRow));
}

// Predicate evaluation: appends to `out` the batch rows of `rows` where the node is TRUE.
void filterRows(Node* node, Context& ctx, Rows rows, std::vector<uint32_t>& out) {
  if (auto* logic = dynamic_cast<LogicNode*>(node)) {
    std::vector<uint32_t>& left = logic->leftRows;
    left.clear();
    filterRows(logic->left.get(), ctx, rows, left);
    if (logic->isAnd) {
      if (!left.empty()) filterRows(logic->right.get(), ctx, {left.data(), left.size()}, out);
      return;
    }
    // OR: the right side decides the rows the left side did not keep.
    std::vector<uint32_t>& rest = logic->restRows;
    std::vector<uint32_t>& right = logic->rightRows;
    rest.clear();
    right.clear();
    size_t k = 0;
    for (size_t i = 0; i < rows.count; ++i) {
      const uint32_t r = rows.at(i);
      if (k < left.size() && left[k] == r)
        ++k;
      else
        rest.push_back(r);
    }
    if (!rest.empty()) filterRows(logic->right.get(), ctx, {rest.data(), rest.size()}, right);
    const size_t base = out.size();
    out.resize(base + left.size() + right.size());
    std::merge(left.begin(), left.end(), right.begin(), right.end(), out.begin() + base);
    return;
  }
  const KernelArg v = node->eval(ctx, rows);
  if (v.constant) {
    if (isTrue(v, 0))
      for (size_t i = 0; i < rows.count; ++i) out.push_back(rows.at(i));
    return;
  }
  const int64_t* values = v.column->ints().data();
  const size_t base = out.size();
  out.resize(base + rows.count);
  uint32_t* dst = out.data() + base;
  size_t kept = 0;
  // Branch-free compaction: write every row, advance only past kept ones.
  if (!v.hasNulls()) {
    for (size_t i = 0; i < rows.count; ++i) {
      dst[kept] = rows.at(i);
      kept += values[i] != 0;
    }
  } else {
    const uint8_t* nulls = v.column->nullMask().data();
    for (size_t i = 0; i < rows.count; ++i) {
      dst[kept] = rows.at(i);
      kept += (values[i] != 0) & (nulls[i] == 0);
    }
  }
  out.resize(base + kept);
}

int64_t systemClockMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Column broadcast(const KernelArg& a, size_t n) {
  Column c(a.column->type());
  c.reserve(n);
  for (size_t i = 0; i < n; ++i) c.appendFrom(*a.column, 0);
  return c;
}

}  // namespace

struct CompiledExpr::Impl {
  BoundExprPtr expr;
  NodePtr root;
  EvalOptions options;
  Context ctx;

  void begin(const Batch& batch) {
    ctx.batch = &batch;
    ctx.state.nowMillis = options.clock ? options.clock() : systemClockMillis();
  }
  Column take(const KernelArg& a, size_t n) {
    if (a.constant) return broadcast(a, n);
    if (a.column == &root->out) return std::move(root->out);
    return *a.column;
  }
};

CompiledExpr::CompiledExpr(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompiledExpr::CompiledExpr(CompiledExpr&&) noexcept = default;
CompiledExpr& CompiledExpr::operator=(CompiledExpr&&) noexcept = default;
CompiledExpr::~CompiledExpr() = default;

Result<CompiledExpr> CompiledExpr::compile(const BoundExprPtr& expr, const Schema& input,
                                           EvalOptions options) {
  auto root = compileNode(*expr, input);
  if (!root.isOk()) return root.status();
  auto impl = std::make_unique<Impl>();
  impl->expr = expr;
  impl->root = std::move(root).value();
  impl->ctx.state.random.seed(options.randomSeed);
  impl->options = std::move(options);
  return CompiledExpr(std::move(impl));
}

const BoundExprPtr& CompiledExpr::expr() const {
  return impl_->expr;
}
ExprType CompiledExpr::type() const {
  return impl_->expr->type;
}

Column CompiledExpr::evaluate(const Batch& batch) {
  impl_->begin(batch);
  const KernelArg a = impl_->root->eval(impl_->ctx, {nullptr, batch.numRows()});
  return impl_->take(a, batch.numRows());
}

Column CompiledExpr::evaluate(const Batch& batch, const std::vector<uint32_t>& rows) {
  impl_->begin(batch);
  const KernelArg a = impl_->root->eval(impl_->ctx, {rows.data(), rows.size()});
  return impl_->take(a, rows.size());
}

std::vector<uint32_t> CompiledExpr::evaluatePredicate(const Batch& batch) {
  std::vector<uint32_t> selection;
  evaluatePredicate(batch, selection);
  return selection;
}

void CompiledExpr::evaluatePredicate(const Batch& batch, std::vector<uint32_t>& selection) {
  GLINT_CHECK(impl_->expr->type == ExprType::kBoolean);
  impl_->begin(batch);
  selection.clear();
  filterRows(impl_->root.get(), impl_->ctx, {nullptr, batch.numRows()}, selection);
}

void CompiledExpr::evaluatePredicate(const Batch& batch, const std::vector<uint32_t>& rows,
                                     std::vector<uint32_t>& selection) {
  GLINT_CHECK(impl_->expr->type == ExprType::kBoolean);
  impl_->begin(batch);
  selection.clear();
  filterRows(impl_->root.get(), impl_->ctx, {rows.data(), rows.size()}, selection);
}

Result<ProjectionProgram> ProjectionProgram::compile(const std::vector<BoundExprPtr>& exprs,
                                                     const Schema& input, SchemaPtr output,
                                                     EvalOptions options) {
  if (output->size() != exprs.size())
    return Status::invalidArgument("projection: " + std::to_string(exprs.size()) +
                                   " expressions for an output schema of " +
                                   std::to_string(output->size()) + " columns");
  ProjectionProgram p;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (storageTypeOf(exprs[i]->type) != output->field(i).type)
      return Status::invalidArgument("projection: expression " + exprs[i]->toString() + " is " +
                                     std::string(exprTypeName(exprs[i]->type)) +
                                     " but output column " + output->field(i).name + " is " +
                                     std::string(typeName(output->field(i).type)));
    auto c = CompiledExpr::compile(exprs[i], input, options);
    if (!c.isOk()) return c.status();
    p.exprs_.push_back(std::move(c).value());
  }
  // Plain column references, the last one of each column: project(Batch&&) moves that column.
  p.movedColumn_.assign(exprs.size(), -1);
  std::vector<bool> taken(input.size(), false);
  for (size_t i = exprs.size(); i-- > 0;) {
    const BoundExpr& e = *exprs[i];
    if (e.kind != ExprKind::kColumn || e.column < 0 ||
        static_cast<size_t>(e.column) >= input.size() || taken[static_cast<size_t>(e.column)] ||
        physicalTypeOf(input.field(static_cast<size_t>(e.column)).type) !=
            physicalTypeOf(output->field(i).type))
      continue;
    taken[static_cast<size_t>(e.column)] = true;
    p.movedColumn_[i] = e.column;
  }
  p.output_ = std::move(output);
  return p;
}

Batch ProjectionProgram::project(Batch&& input) {
  Batch out(output_);
  // Everything that reads the input first, then the moves.
  for (size_t i = 0; i < exprs_.size(); ++i)
    if (movedColumn_[i] < 0) out.mutableColumn(i) = exprs_[i].evaluate(input);
  for (size_t i = 0; i < exprs_.size(); ++i)
    if (movedColumn_[i] >= 0)
      out.mutableColumn(i) = std::move(input.mutableColumn(static_cast<size_t>(movedColumn_[i])));
  out.mutableRowKinds() = std::move(input.mutableRowKinds());
  out.mutableTimestamps() = std::move(input.mutableTimestamps());
  out.setSourceNanos(input.sourceNanos());
  out.setNumRows(input.numRows());
  return out;
}

Batch ProjectionProgram::project(const Batch& input) {
  Batch out(output_);
  for (size_t i = 0; i < exprs_.size(); ++i) out.mutableColumn(i) = exprs_[i].evaluate(input);
  out.mutableRowKinds() = input.rowKinds();
  out.mutableTimestamps() = input.timestamps();
  out.setSourceNanos(input.sourceNanos());
  out.setNumRows(input.numRows());
  return out;
}

Value valueAt(const Column& column, size_t row, ExprType type) {
  if (column.isNull(row)) return Value::null(type);
  switch (column.physical()) {
    case PhysicalType::kInt64:
      return Value::integerOf(type, column.getInt(row));
    case PhysicalType::kDouble:
      return Value::float64(column.getDouble(row));
    case PhysicalType::kString:
      return Value::varchar(std::string(column.getString(row)));
  }
  return Value::null(type);
}

namespace {

// `expr` as a value of `type` (a branch of a CASE may be INT where the CASE is BIGINT).
BoundExprPtr withType(const BoundExprPtr& expr, ExprType type) {
  if (expr->type == type) return expr;
  auto cast = makeCast(expr, type);
  return cast.isOk() ? std::move(cast).value() : expr;
}

// Rewrites that need only some operands to be literals, keeping evaluation order: CASE
// branches whose condition is a constant, and AND/OR whose left operand is a constant (the
// right one is then either the result or never evaluated).
BoundExprPtr simplifyWithLiterals(const BoundExprPtr& node) {
  if (node->kind == ExprKind::kCase) {
    std::vector<BoundExprPtr> args;
    BoundExprPtr elseResult = node->args.back();
    for (size_t i = 0; i + 1 < node->args.size(); i += 2) {
      const BoundExprPtr& when = node->args[i];
      if (!when->isLiteral()) {
        args.push_back(when);
        args.push_back(node->args[i + 1]);
        continue;
      }
      if (when->literal.isNull || when->literal.integer == 0) continue;  // never taken
      elseResult = node->args[i + 1];  // always taken by the rows that get here
      break;
    }
    if (args.empty()) return withType(elseResult, node->type);
    if (args.size() + 1 == node->args.size() && elseResult == node->args.back()) return node;
    auto copy = std::make_shared<BoundExpr>(*node);
    args.push_back(elseResult);
    copy->args = std::move(args);
    return copy;
  }
  if (node->kind == ExprKind::kCall && (node->function->special == SpecialForm::kAnd ||
                                        node->function->special == SpecialForm::kOr)) {
    const bool isAnd = node->function->special == SpecialForm::kAnd;
    const BoundExprPtr& left = node->args[0];
    const BoundExprPtr& right = node->args[1];
    auto decides = [&](const BoundExprPtr& e) {  // FALSE for AND, TRUE for OR
      return e->isLiteral() && !e->literal.isNull && (e->literal.integer != 0) != isAnd;
    };
    auto neutral = [&](const BoundExprPtr& e) {  // TRUE for AND, FALSE for OR
      return e->isLiteral() && !e->literal.isNull && (e->literal.integer != 0) == isAnd;
    };
    if (decides(left)) return left;
    if (neutral(left)) return right;
    if (neutral(right)) return left;
  }
  return node;
}

}  // namespace

BoundExprPtr foldConstants(const BoundExprPtr& expr) {
  if (expr->kind == ExprKind::kColumn || expr->kind == ExprKind::kLiteral) return expr;
  std::vector<BoundExprPtr> args;
  bool changed = false, allLiteral = true;
  for (const auto& a : expr->args) {
    args.push_back(foldConstants(a));
    changed = changed || args.back() != a;
    allLiteral = allLiteral && args.back()->isLiteral();
  }
  BoundExprPtr node = expr;
  if (changed) {
    auto copy = std::make_shared<BoundExpr>(*expr);
    copy->args = std::move(args);
    node = copy;
  }
  if (!allLiteral) return simplifyWithLiterals(node);
  if (node->kind == ExprKind::kCall && !node->function->deterministic) return node;
  static const Schema kNoColumns;
  auto compiled = CompiledExpr::compile(node, kNoColumns);
  if (!compiled.isOk()) return node;
  Batch one(std::make_shared<const Schema>());
  one.setNumRows(1);
  try {
    Column c = compiled->evaluate(one);
    return makeLiteral(valueAt(c, 0, node->type));
  } catch (const GlintError&) {
    return node;  // the error belongs to the rows that evaluate it
  }
}

}  // namespace glint::sql
