#include "glint/sql/parser/parse_error.h"

#include <algorithm>
#include <cctype>

namespace glint::sql {
namespace {

bool isContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Byte range [begin, end) of the 1-based line `line`, or an empty range at the end of the text.
std::pair<size_t, size_t> lineRange(std::string_view sql, int line) {
  size_t begin = 0;
  for (int current = 1; current < line; ++current) {
    size_t newline = sql.find('\n', begin);
    if (newline == std::string_view::npos) return {sql.size(), sql.size()};
    begin = newline + 1;
  }
  size_t end = sql.find('\n', begin);
  if (end == std::string_view::npos) end = sql.size();
  if (end > begin && sql[end - 1] == '\r') --end;
  return {begin, end};
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

std::string renderCaret(std::string_view sql, int line, int column, int length) {
  auto [begin, end] = lineRange(sql, line);
  // Characters of the line (UTF-8 sequences kept whole), tabs shown as one space so that the
  // caret, counted in characters, stays aligned.
  std::vector<std::string> characters;
  for (size_t i = begin; i < end; ++i) {
    char c = sql[i];
    if (isContinuationByte(c) && !characters.empty()) {
      characters.back() += c;
    } else {
      characters.emplace_back(1, c == '\t' || c == '\r' ? ' ' : c);
    }
  }
  int total = static_cast<int>(characters.size());
  int caretAt = std::max(0, column - 1);  // 0-based character index
  int caretLength = std::max(1, std::min(length, std::max(1, total - caretAt)));
  // A window of at most 100 characters around the caret for very long lines.
  constexpr int kWindow = 100;
  int first = 0;
  int last = total;
  if (total > kWindow) {
    first = std::max(0, std::min(caretAt - kWindow / 2, total - kWindow));
    last = std::min(total, first + kWindow);
  }
  std::string text = "  ";
  std::string caret = "  ";
  if (first > 0) {
    text += "...";
    caret += "   ";
  }
  for (int i = first; i < last; ++i) text += characters[i];
  if (last < total) text += "...";
  caret.append(static_cast<size_t>(std::max(0, caretAt - first)), ' ');
  caret += '^';
  caret.append(static_cast<size_t>(std::min(caretLength - 1, kWindow)), '~');
  return text + "\n" + caret;
}

std::string ParseError::render(std::string_view sql) const {
  std::string out = "SQL error at line " + std::to_string(line) + ", column " +
                    std::to_string(column) + ": " + message + "\n";
  out += renderCaret(sql, line, column, length);
  if (!hint.empty()) out += "\nhint: " + hint;
  return out;
}

int editDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance over three rolling rows.
  size_t n = a.size();
  size_t m = b.size();
  std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
  for (size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      int cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      int best = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        best = std::min(best, before[j - 2] + 1);
      }
      current[j] = best;
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::optional<std::string> closestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  int allowed = word.size() <= 2 ? 0 : word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  const std::string* best = nullptr;
  int bestDistance = allowed + 1;
  for (const std::string& candidate : candidates) {
    // Cheap bound first: the length difference alone already costs that many edits.
    int lengthGap = std::abs(static_cast<int>(candidate.size()) - static_cast<int>(word.size()));
    if (lengthGap >= bestDistance) continue;
    int distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = &candidate;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace glint::sql
