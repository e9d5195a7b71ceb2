// StateSerializer round trips and malformed input; OrderedKeyCodec order against std::map.
#include "glint/state/state_serializer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace glint {
namespace {

enum class Color : uint8_t { kRed, kGreen };

struct Plain {  // trivially copyable: serialized as its bytes
  int64_t a;
  double b;
  bool operator==(const Plain&) const = default;
};

struct WithFields {  // not trivially copyable: serialized through glintFields()
  std::string name;
  std::vector<int64_t> ids;
  std::optional<Plain> plain;
  auto glintFields() { return std::tie(name, ids, plain); }
  auto glintFields() const { return std::tie(name, ids, plain); }
  bool operator==(const WithFields&) const = default;
};

template <class T>
void expectRoundTrip(const T& v) {
  const std::string bytes = serializeState(v);
  T back{};
  ASSERT_TRUE(deserializeState(bytes, &back));
  EXPECT_TRUE(back == v);
  // Every strict prefix is rejected (no crash, no partial success).
  for (size_t n = 0; n < bytes.size(); ++n) {
    T partial{};
    EXPECT_FALSE(deserializeState(std::string_view(bytes.data(), n), &partial)) << "prefix " << n;
  }
}

TEST(StateSerializerTest, RoundTripsEverySupportedKind) {
  expectRoundTrip<int64_t>(-42);
  expectRoundTrip<double>(3.25);
  expectRoundTrip<bool>(true);
  expectRoundTrip(Color::kGreen);
  expectRoundTrip(std::string("hello\0world", 11));
  expectRoundTrip(std::vector<std::string>{"a", "", "ccc"});
  expectRoundTrip(std::vector<int64_t>{1, -2, 3});
  expectRoundTrip(std::map<int64_t, std::string>{{1, "x"}, {-5, "y"}});
  expectRoundTrip(std::optional<std::string>("z"));
  expectRoundTrip(std::pair<int64_t, std::string>{7, "seven"});
  expectRoundTrip(std::tuple<int64_t, std::string, double>{1, "two", 3.0});
  expectRoundTrip(Plain{5, 0.5});
  expectRoundTrip(WithFields{"n", {1, 2, 3}, Plain{1, 2}});
  expectRoundTrip(std::vector<WithFields>{{"a", {}, std::nullopt}, {"b", {9}, Plain{3, 4}}});
}

TEST(StateSerializerTest, LengthsAreVarints) {
  // A short string costs one length byte, not four.
  EXPECT_EQ(serializeState(std::string("abc")).size(), 4u);
  EXPECT_EQ(serializeState(std::vector<std::string>{"a", "b"}).size(), 5u);
}

TEST(StateSerializerTest, RejectsCorruptLengthsWithoutHugeAllocations) {
  std::string bytes;
  writeVarint(bytes, uint64_t{1} << 60);  // a vector claiming 2^60 elements
  std::vector<std::string> v;
  EXPECT_FALSE(deserializeState(bytes, &v));
  std::vector<int64_t> ints;
  EXPECT_FALSE(deserializeState(bytes, &ints));
  std::string s;
  EXPECT_FALSE(deserializeState(bytes, &s));
  EXPECT_FALSE(deserializeState(std::string(11, '\xff'), &s));  // varint longer than 10 bytes
  std::optional<int64_t> o;
  EXPECT_FALSE(deserializeState(std::string(1, '\x02'), &o));  // presence flag must be 0 or 1
  // Bytes left over are an error too.
  int64_t x;
  EXPECT_FALSE(deserializeState(serializeState(int64_t{1}) + "x", &x));
}

template <class K>
void expectOrderPreserved(std::vector<K> keys) {
  static_assert(OrderedKeyCodec<K>::kOrderPreserving);
  std::vector<std::pair<std::string, K>> encoded;
  for (const K& k : keys) encoded.emplace_back(encodeOrderedKey(k), k);
  std::sort(encoded.begin(), encoded.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::sort(keys.begin(), keys.end());
  ASSERT_EQ(encoded.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(encoded[i].second, keys[i]);
    BinaryReader in(encoded[i].first);
    K back{};
    ASSERT_TRUE(OrderedKeyCodec<K>::decode(in, &back));
    EXPECT_TRUE(in.atEnd());
    EXPECT_EQ(back, keys[i]);
  }
}

TEST(OrderedKeyCodecTest, IntegerByteOrderIsNumericOrder) {
  std::mt19937_64 rng(1);
  std::vector<int64_t> keys = {INT64_MIN, -1, 0, 1, INT64_MAX, -256, 255, 256};
  for (int i = 0; i < 2000; ++i) keys.push_back(static_cast<int64_t>(rng()) >> (rng() % 64));
  expectOrderPreserved(keys);
  expectOrderPreserved(std::vector<int32_t>{-3, 7, INT32_MIN, INT32_MAX, 0});
  expectOrderPreserved(std::vector<uint64_t>{0, 1, UINT64_MAX, 1ULL << 63});
}

TEST(OrderedKeyCodecTest, DoubleByteOrderIsNumericOrder) {
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> d(-1e6, 1e6);
  std::vector<double> keys = {-1e300, -1.5, 0.0, 1e-300, 2.5, 1e300};
  for (int i = 0; i < 500; ++i) keys.push_back(d(rng));
  expectOrderPreserved(keys);
}

TEST(OrderedKeyCodecTest, StringByteOrderIsStdStringOrder) {
  std::mt19937 rng(3);
  std::vector<std::string> keys = {"",
                                   "a",
                                   "ab",
                                   std::string("a\0", 2),
                                   std::string("a\0b", 3),
                                   std::string("\0", 1),
                                   "\xff",
                                   "b",
                                   std::string("a\0\xff", 3)};
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 6, ' ');
    for (char& c : s) c = "\0\1a\xff"[rng() % 4];
    keys.push_back(s);
  }
  // std::string compares as unsigned chars, as byte order does.
  expectOrderPreserved(keys);
}

TEST(OrderedKeyCodecTest, MalformedStringKeysAreRejected) {
  std::string k;
  BinaryReader noTerminator(std::string_view("abc"));
  EXPECT_FALSE(OrderedKeyCodec<std::string>::decode(noTerminator, &k));
  const std::string badEscape("a\0\x05", 3);
  BinaryReader bad(badEscape);
  EXPECT_FALSE(OrderedKeyCodec<std::string>::decode(bad, &k));
}

}  // namespace
}  // namespace glint
