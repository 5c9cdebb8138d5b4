#pragma once
// SHA-256 (FIPS 180-4): the ledger names inputs and pack contents by their digest, so that a
// record proves which bytes were decided under which rules.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace rulebook::ledger {

/// Incremental SHA-256. Not thread-safe; cheap to create.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  /// The digest as 64 lowercase hex digits; the object is spent afterwards.
  std::string hex();

 private:
  void block(const unsigned char* p);
  std::array<std::uint32_t, 8> h_;
  std::array<unsigned char, 64> buf_{};
  std::size_t used_ = 0;
  std::uint64_t length_ = 0;  ///< bytes hashed so far
};

/// The hex digest of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace rulebook::ledger
