#pragma once
// The subsidy workload's records (../shared/bench/README.md), one at a time: the same PRNG
// (mulberry32), the same draws in the same order and the same number formatting as the
// reference generator. gen_corpus writes them to a file; the allocation test reads them in
// process.

#include <cstdint>
#include <string>
#include <vector>

namespace rulebook::bench {

class Corpus {
 public:
  explicit Corpus(std::uint32_t seed = 20240101u) : state_(seed) {}
  /// Record `i` (numbered from 1, in order: each call draws from the same stream) as one
  /// line of JSON with its newline, into `out` (replacing what it held).
  void record(long i, std::string& out);

 private:
  double rnd();
  long uniform(long lo, long hi);
  bool chance(double p);
  template <class T>
  const T& pick(const std::vector<T>& a);
  std::uint32_t state_;
};

}  // namespace rulebook::bench
