#pragma once
// The service's counters in Prometheus text format (version 0.0.4).

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace rulebook::serve {

/// Thread-safe: every method may be called from any thread.
class Metrics {
 public:
  /// One answered request: the route's pattern (bounded label values, never the raw path).
  void request(const std::string& route, const std::string& method, int status, double seconds);
  void decision(const std::string& pack, const std::string& outcome);
  void error(const std::string& code);
  void rejected();  ///< a connection refused with 503 because the queue was full
  void reload(bool ok);
  void set_packs(std::size_t n);
  void ledger_records(std::size_t n);
  void ledger_transaction();  ///< a ledger transaction decisions were taken in, refused ones included
  std::string render() const;

  /// Upper bounds of the latency histogram, in seconds.
  static constexpr std::array<double, 12> buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, buckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> decisions_;
  std::map<std::string, std::uint64_t> errors_;
  std::uint64_t rejected_ = 0, reloads_ok_ = 0, reloads_failed_ = 0, records_ = 0, transactions_ = 0;
  std::size_t packs_ = 0;
};

}  // namespace rulebook::serve
