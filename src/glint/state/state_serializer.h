#pragma once
// How state values become bytes: StateSerializer<T> (for snapshots and for serialized backends
// such as RocksDB) and OrderedKeyCodec<K> (map-state user keys, whose byte order must equal
// std::map order so that a RocksDB prefix scan visits them as the heap backend does).
//
// StateSerializer<T> covers arithmetic and enum types (fixed width, little-endian), strings,
// vectors, maps, optionals, pairs, tuples (lengths as LEB128 varints), structs that expose
// glintFields() (const and non-const, returning std::tie of the members), and any other
// trivially copyable struct (its bytes). Users may specialise StateSerializer for other
// types. A type with none of these fails to compile with a static_assert naming the fix.
//
// read() returns false on truncated or malformed input; it never reads past the reader's end.
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "glint/types/serialization.h"

namespace glint {

// ---- varints (LEB128, unsigned) -------------------------------------------------------------

inline void writeVarint(std::string& out, uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, static_cast<size_t>(n));
}

inline bool readVarint(BinaryReader& in, uint64_t* v) {
  uint64_t result = 0;
  const char*& pos = in.pos();
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos == in.end()) return false;
    const uint8_t byte = static_cast<uint8_t>(*pos++);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;  // more than 10 bytes: malformed
}

// A length that must fit in what is left of the input (guards allocations against corrupt
// lengths).
inline bool readLength(BinaryReader& in, size_t* n) {
  uint64_t v;
  if (!readVarint(in, &v) || v > static_cast<uint64_t>(in.end() - in.pos())) return false;
  *n = static_cast<size_t>(v);
  return true;
}

// Varint length + bytes.
inline void writeBytes(std::string& out, std::string_view bytes) {
  writeVarint(out, bytes.size());
  out.append(bytes.data(), bytes.size());
}
inline bool readBytes(BinaryReader& in, std::string_view* bytes) {
  size_t n;
  if (!readLength(in, &n)) return false;
  *bytes = std::string_view(in.pos(), n);
  in.pos() += n;
  return true;
}

template <class T>
inline void writeFixed(std::string& out, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// ---- StateSerializer ------------------------------------------------------------------------

template <class T>
concept HasGlintFields = requires(T& t, const T& c) {
  t.glintFields();
  c.glintFields();
};

template <class>
inline constexpr bool kNoStateSerializer = false;

template <class T>
struct StateSerializer {
  static void write(std::string& out, const T& v) {
    if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      writeFixed(out, v);
    } else if constexpr (HasGlintFields<T>) {
      std::apply(
          [&](const auto&... f) {
            (StateSerializer<std::decay_t<decltype(f)>>::write(out, f), ...);
          },
          v.glintFields());
    } else if constexpr (std::is_trivially_copyable_v<T>) {
      writeFixed(out, v);
    } else {
      static_assert(kNoStateSerializer<T>,
                    "no StateSerializer for this state type: give it `auto glintFields()` and "
                    "`auto glintFields() const` returning std::tie(members...), or specialise "
                    "glint::StateSerializer<T>");
    }
  }
  static bool read(BinaryReader& in, T* v) {
    if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      return in.read(v);
    } else if constexpr (HasGlintFields<T>) {
      auto fields = v->glintFields();
      return std::apply(
          [&](auto&... f) {
            return (StateSerializer<std::decay_t<decltype(f)>>::read(in, &f) && ...);
          },
          fields);
    } else if constexpr (std::is_trivially_copyable_v<T>) {
      return in.read(v);
    } else {
      static_assert(kNoStateSerializer<T>, "no StateSerializer for this state type");
      return false;
    }
  }
};

template <>
struct StateSerializer<std::string> {
  static void write(std::string& out, const std::string& v) { writeBytes(out, v); }
  static bool read(BinaryReader& in, std::string* v) {
    std::string_view bytes;
    if (!readBytes(in, &bytes)) return false;
    v->assign(bytes.data(), bytes.size());
    return true;
  }
};

template <class T, class A>
struct StateSerializer<std::vector<T, A>> {
  static void write(std::string& out, const std::vector<T, A>& v) {
    writeVarint(out, v.size());
    if constexpr (std::is_arithmetic_v<T>) {
      out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    } else {
      for (const auto& e : v) StateSerializer<T>::write(out, e);
    }
  }
  static bool read(BinaryReader& in, std::vector<T, A>* v) {
    uint64_t n;
    if (!readVarint(in, &n)) return false;
    v->clear();
    if constexpr (std::is_arithmetic_v<T>) {
      if (n > static_cast<uint64_t>(in.end() - in.pos()) / sizeof(T)) return false;
      v->resize(static_cast<size_t>(n));
      if (n > 0) std::memcpy(v->data(), in.pos(), v->size() * sizeof(T));  // data() may be null
      in.pos() += v->size() * sizeof(T);
      return true;
    } else {
      // Every element takes at least one byte unless T is empty: bound n by the input left.
      if (n > static_cast<uint64_t>(in.end() - in.pos()) && sizeof(T) > 1) return false;
      v->reserve(static_cast<size_t>(std::min<uint64_t>(n, 1 << 16)));
      for (uint64_t i = 0; i < n; ++i) {
        v->emplace_back();
        if (!StateSerializer<T>::read(in, &v->back())) return false;
      }
      return true;
    }
  }
};

template <class K, class V, class C, class A>
struct StateSerializer<std::map<K, V, C, A>> {
  static void write(std::string& out, const std::map<K, V, C, A>& m) {
    writeVarint(out, m.size());
    for (const auto& [k, v] : m) {
      StateSerializer<K>::write(out, k);
      StateSerializer<V>::write(out, v);
    }
  }
  static bool read(BinaryReader& in, std::map<K, V, C, A>* m) {
    uint64_t n;
    if (!readVarint(in, &n) || n > static_cast<uint64_t>(in.end() - in.pos())) return false;
    m->clear();
    for (uint64_t i = 0; i < n; ++i) {
      K k{};
      V v{};
      if (!StateSerializer<K>::read(in, &k) || !StateSerializer<V>::read(in, &v)) return false;
      m->insert_or_assign(std::move(k), std::move(v));
    }
    return true;
  }
};

template <class T>
struct StateSerializer<std::optional<T>> {
  static void write(std::string& out, const std::optional<T>& v) {
    out.push_back(v ? 1 : 0);
    if (v) StateSerializer<T>::write(out, *v);
  }
  static bool read(BinaryReader& in, std::optional<T>* v) {
    uint8_t present;
    if (!in.read(&present) || present > 1) return false;
    if (!present) {
      v->reset();
      return true;
    }
    v->emplace();
    return StateSerializer<T>::read(in, &**v);
  }
};

template <class A, class B>
struct StateSerializer<std::pair<A, B>> {
  static void write(std::string& out, const std::pair<A, B>& v) {
    StateSerializer<A>::write(out, v.first);
    StateSerializer<B>::write(out, v.second);
  }
  static bool read(BinaryReader& in, std::pair<A, B>* v) {
    return StateSerializer<A>::read(in, &v->first) && StateSerializer<B>::read(in, &v->second);
  }
};

template <class... Ts>
struct StateSerializer<std::tuple<Ts...>> {
  static void write(std::string& out, const std::tuple<Ts...>& v) {
    std::apply(
        [&](const auto&... f) { (StateSerializer<std::decay_t<decltype(f)>>::write(out, f), ...); },
        v);
  }
  static bool read(BinaryReader& in, std::tuple<Ts...>* v) {
    return std::apply(
        [&](auto&... f) {
          return (StateSerializer<std::decay_t<decltype(f)>>::read(in, &f) && ...);
        },
        *v);
  }
};

// Serializes `v` into a fresh string (for tests and one-off uses).
template <class T>
std::string serializeState(const T& v) {
  std::string out;
  StateSerializer<T>::write(out, v);
  return out;
}
// Reads a whole T from `bytes`; false when malformed or when bytes are left over.
template <class T>
bool deserializeState(std::string_view bytes, T* v) {
  BinaryReader in(bytes);
  return StateSerializer<T>::read(in, v) && in.atEnd();
}

// ---- order-preserving key encoding ----------------------------------------------------------
// OrderedKeyCodec<K>::kOrderPreserving says whether byte order equals std::map<K, ...> order:
//  * integers: 8 bytes big-endian, sign bit flipped for signed types;
//  * floating point: IEEE bits big-endian, all bits flipped for negatives, sign bit otherwise;
//  * std::string: bytes with 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x01 (so a prefix
//    sorts before its extensions and the encoding is self-delimiting);
//  * anything else: its StateSerializer bytes (not ordered; serialized backends sort those
//    after decoding).
template <class K>
struct OrderedKeyCodec {
  static constexpr bool kOrderPreserving = false;
  static void encode(std::string& out, const K& k) { StateSerializer<K>::write(out, k); }
  static bool decode(BinaryReader& in, K* k) { return StateSerializer<K>::read(in, k); }
};

template <class K>
requires std::is_integral_v<K> || std::is_enum_v<K>
struct OrderedKeyCodec<K> {
  static constexpr bool kOrderPreserving = true;
  using Wide = std::conditional_t<std::is_signed_v<K>, int64_t, uint64_t>;
  static void encode(std::string& out, const K& k) {
    uint64_t u = static_cast<uint64_t>(static_cast<Wide>(k));
    if constexpr (std::is_signed_v<K>) u ^= 1ULL << 63;
    u = __builtin_bswap64(u);
    writeFixed(out, u);
  }
  static bool decode(BinaryReader& in, K* k) {
    uint64_t u;
    if (!in.read(&u)) return false;
    u = __builtin_bswap64(u);
    if constexpr (std::is_signed_v<K>) u ^= 1ULL << 63;
    *k = static_cast<K>(static_cast<Wide>(u));
    return true;
  }
};

template <class K>
requires std::is_floating_point_v<K>
struct OrderedKeyCodec<K> {
  static constexpr bool kOrderPreserving = true;
  static void encode(std::string& out, const K& k) {
    double d = static_cast<double>(k);
    if (d == 0) d = 0;  // -0.0 and 0.0 are one std::map key
    uint64_t u;
    std::memcpy(&u, &d, 8);
    u = (u >> 63) ? ~u : (u | (1ULL << 63));
    writeFixed(out, __builtin_bswap64(u));
  }
  static bool decode(BinaryReader& in, K* k) {
    uint64_t u;
    if (!in.read(&u)) return false;
    u = __builtin_bswap64(u);
    u = (u >> 63) ? (u & ~(1ULL << 63)) : ~u;
    double d;
    std::memcpy(&d, &u, 8);
    *k = static_cast<K>(d);
    return true;
  }
};

template <>
struct OrderedKeyCodec<std::string> {
  static constexpr bool kOrderPreserving = true;
  static void encode(std::string& out, const std::string& k) {
    for (char c : k) {
      out.push_back(c);
      if (c == 0) out.push_back(static_cast<char>(0xff));
    }
    out.push_back(0);
    out.push_back(1);
  }
  static bool decode(BinaryReader& in, std::string* k) {
    k->clear();
    const char*& pos = in.pos();
    while (pos != in.end()) {
      const char c = *pos++;
      if (c != 0) {
        k->push_back(c);
        continue;
      }
      if (pos == in.end()) return false;
      const uint8_t next = static_cast<uint8_t>(*pos++);
      if (next == 1) return true;
      if (next != 0xff) return false;
      k->push_back(0);
    }
    return false;  // no terminator
  }
};

template <class K>
std::string encodeOrderedKey(const K& k) {
  std::string out;
  OrderedKeyCodec<K>::encode(out, k);
  return out;
}

}  // namespace glint
