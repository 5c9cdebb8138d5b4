// The practical limit the benchmark compares rulebook with: the five decisions of the
// subsidy workload hand-coded over simdjson On-Demand, as the peers' table measured it.
// Exact: amounts are read as integer hundredths of a yuan, sums kept in ten-thousandths.
//
//   baseline CORPUS.jsonl [--rate PERCENT] [--cap YUAN] [--until YYYY-MM-DD]
//   → eligible, Σ subsidy, Σ invention_count, has_foreign, title_eligible
// The options change the subsidy's terms (5%, 500000, 2025-12-31), so that the test of
// `rulebook diff` can compare its totals with figures computed without the engine.
// With RULEBOOK_BASELINE_TIMES set, the seconds of loading the file and of deciding are written
// to stderr ("load S decide S"): loading it whole into fresh memory costs a page fault per 4 KiB,
// which on some VMs takes longer than deciding (bench/run.sh reports the ratios to both).

#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace od = simdjson::ondemand;

namespace {

// "12345.6" → 1234560 hundredths.
std::int64_t cents(std::string_view raw) {
  std::int64_t whole = 0, frac = 0;
  int digits = 0;
  bool point = false;
  for (char c : raw) {
    if (c == '.') {
      point = true;
    } else if (c >= '0' && c <= '9') {
      if (point) {
        if (digits < 2) frac = frac * 10 + (c - '0'), ++digits;
      } else {
        whole = whole * 10 + (c - '0');
      }
    } else {
      break;
    }
  }
  while (digits < 2) frac *= 10, ++digits;
  return whole * 100 + frac;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t rate = 5, cap = 500000;
  std::string until = "2025-12-31";
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string opt = argv[i];
    if (opt == "--rate") rate = std::atoll(argv[i + 1]);
    else if (opt == "--cap") cap = std::atoll(argv[i + 1]);
    else if (opt == "--until") until = argv[i + 1];
    else argc = 0;
  }
  if (argc < 2 || argc % 2 != 0) {
    std::fprintf(stderr, "usage: baseline CORPUS.jsonl [--rate PERCENT] [--cap YUAN] [--until YYYY-MM-DD]\n");
    return 2;
  }
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  simdjson::padded_string json;
  if (simdjson::padded_string::load(argv[1]).get(json)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  const auto loaded = clock::now();
  od::parser parser;
  od::document_stream stream;
  if (parser.iterate_many(json).get(stream)) return 2;
  std::int64_t eligible = 0, subsidy = 0, inventions = 0, foreign = 0, title = 0;  // subsidy in 1/10000 yuan
  for (auto doc : stream) {
    od::object rec = doc.get_object();
    std::string_view type = rec["applicant"]["type"].get_string();
    std::int64_t received = cents(rec["applicant"]["subsidies_received"].raw_json_token());
    std::int64_t amount = cents(rec["contract"]["amount"].raw_json_token());
    bool tripartite = rec["contract"]["tripartite"].get_bool();
    std::string_view signed_date = rec["contract"]["signed_date"].get_string();
    bool succeeded = rec["transformation"]["succeeded"].get_bool();
    std::int64_t n_inventions = 0, cn = 0, abroad = 0;
    bool has_foreign = false;
    for (auto p : rec["patents"].get_array()) {
      od::object patent = p.get_object();
      std::string_view kind = patent["kind"].get_string();
      bool granted = patent["granted"].get_bool();
      std::string_view country = patent["country"].get_string();
      bool is_cn = country == "CN";
      has_foreign = has_foreign || !is_cn;
      if (kind == "invention" && granted) {
        ++n_inventions;
        (is_cn ? cn : abroad)++;
      }
    }
    if (type == "patent_service_agency" && tripartite && succeeded && signed_date >= "2024-01-01" &&
        signed_date <= until) {
      ++eligible;
      std::int64_t share = amount * rate;  // hundredths × percent = ten-thousandths
      std::int64_t left = std::max<std::int64_t>(0, (cap * 100 - received) * 100);
      subsidy += std::min(share, left);
    }
    inventions += n_inventions;
    foreign += has_foreign;
    title += cn >= 3 || abroad >= 2;
  }
  if (std::getenv("RULEBOOK_BASELINE_TIMES"))
    std::fprintf(stderr, "load %.6f decide %.6f\n", std::chrono::duration<double>(loaded - start).count(),
                 std::chrono::duration<double>(clock::now() - loaded).count());
  std::printf("eligible %lld\nsubsidy %lld.%04lld\ninvention_count %lld\nhas_foreign %lld\ntitle_eligible %lld\n",
              static_cast<long long>(eligible), static_cast<long long>(subsidy / 10000),
              static_cast<long long>(subsidy % 10000), static_cast<long long>(inventions),
              static_cast<long long>(foreign), static_cast<long long>(title));
}
