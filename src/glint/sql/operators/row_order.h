#pragma once
// The order of SQL sort keys over rows encoded by a KeyEncoder of all input columns (the form
// in which the rank and OVER operators keep rows in keyed state).
#include <string_view>
#include <vector>

#include "glint/sql/planner/logical_plan.h"
#include "glint/state/key_group.h"

namespace glint::sql {

class RowOrder {
 public:
  RowOrder() = default;
  RowOrder(const Schema& input, std::vector<SortKey> keys);

  // Encodes row `row` of `batch` (all columns).
  void encode(const Batch& batch, size_t row, std::string& out) const {
    encoder_.encode(batch, row, out);
  }
  KeyRef decode(std::string_view bytes) const { return KeyRef(bytes, &encoder_.keyTypes()); }
  // True when encoded row `a` sorts before `b`.
  bool before(std::string_view a, std::string_view b) const;
  // Equal on every sort key (NULLs are equal to each other): the rows are peers.
  bool peers(std::string_view a, std::string_view b) const {
    return !before(a, b) && !before(b, a);
  }

 private:
  KeyEncoder encoder_;
  std::vector<SortKey> keys_;
  std::vector<PhysicalType> physical_;
};

}  // namespace glint::sql
