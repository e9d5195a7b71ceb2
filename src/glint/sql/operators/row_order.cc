#include "glint/sql/operators/row_order.h"

namespace glint::sql {

RowOrder::RowOrder(const Schema& input, std::vector<SortKey> keys) : keys_(std::move(keys)) {
  std::vector<int> all;
  for (size_t c = 0; c < input.size(); ++c) all.push_back(static_cast<int>(c));
  encoder_ = KeyEncoder(input, all);
  for (const auto& k : keys_)
    physical_.push_back(physicalTypeOf(input.field(static_cast<size_t>(k.column)).type));
}

bool RowOrder::before(std::string_view a, std::string_view b) const {
  KeyRef x = decode(a), y = decode(b);
  for (size_t i = 0; i < keys_.size(); ++i) {
    const auto& k = keys_[i];
    const size_t c = static_cast<size_t>(k.column);
    const bool xNull = x.isNull(c), yNull = y.isNull(c);
    if (xNull || yNull) {
      if (xNull && yNull) continue;
      // NULLS FIRST puts the null row before the other, whatever the direction.
      return xNull == k.nullsFirst;
    }
    int cmp = 0;
    switch (physical_[i]) {
      case PhysicalType::kDouble: {
        const double u = x.getDouble(c), v = y.getDouble(c);
        cmp = u < v ? -1 : (u > v ? 1 : 0);
        break;
      }
      case PhysicalType::kString: {
        const int r = x.getString(c).compare(y.getString(c));
        cmp = r < 0 ? -1 : (r > 0 ? 1 : 0);
        break;
      }
      case PhysicalType::kInt64: {
        const int64_t u = x.getLong(c), v = y.getLong(c);
        cmp = u < v ? -1 : (u > v ? 1 : 0);
        break;
      }
    }
    if (cmp != 0) return k.descending ? cmp > 0 : cmp < 0;
  }
  return false;
}

}  // namespace glint::sql
