// Record ids and times, which both stores write: in the ledger and in the PostgreSQL module
// (postgres_module.cpp), which is built with its own copy.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>

#include "ledger/ledger.hpp"

namespace rulebook::ledger {

std::string new_record_id() {
  // Random bits from a per-thread generator seeded by the OS: ids are unique across
  // processes and stores without coordination, and sort by time.
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    return (std::uint64_t(rd()) << 32) ^ rd();
  }()};
  auto ms = std::uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
  std::uint64_t r1 = rng(), r2 = rng();
  std::uint64_t hi = (ms << 16) | 0x7000 | (r1 & 0x0fff);
  std::uint64_t lo = (r2 & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32), unsigned((hi >> 16) & 0xffff),
                unsigned(hi & 0xffff), unsigned(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

std::string utc_now() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms));
  return buf;
}

}  // namespace rulebook::ledger
