#include "serve/metrics.hpp"

#include <sstream>

namespace rulebook::serve {
namespace {

// Label values are ours (routes, pack ids, codes) but escaped all the same.
std::string label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::request(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < buckets.size(); ++i)
    if (seconds <= buckets[i]) ++h.counts[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::decision(const std::string& pack, const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++decisions_[{pack, outcome}];
}

void Metrics::error(const std::string& code) {
  std::lock_guard lock(mutex_);
  ++errors_[code];
}

void Metrics::rejected() {
  std::lock_guard lock(mutex_);
  ++rejected_;
}

void Metrics::reload(bool ok) {
  std::lock_guard lock(mutex_);
  ++(ok ? reloads_ok_ : reloads_failed_);
}

void Metrics::set_packs(std::size_t n) {
  std::lock_guard lock(mutex_);
  packs_ = n;
}

void Metrics::ledger_records(std::size_t n) {
  std::lock_guard lock(mutex_);
  records_ += n;
}

void Metrics::ledger_transaction() {
  std::lock_guard lock(mutex_);
  ++transactions_;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream o;
  o << "# HELP rulebook_http_requests_total Requests answered, by route pattern, method and status.\n"
       "# TYPE rulebook_http_requests_total counter\n";
  for (const auto& [k, n] : requests_)
    o << "rulebook_http_requests_total{route=\"" << label(std::get<0>(k)) << "\",method=\"" << label(std::get<1>(k))
      << "\",status=\"" << std::get<2>(k) << "\"} " << n << "\n";
  o << "# HELP rulebook_http_request_duration_seconds Time from a request's first byte to its answer.\n"
       "# TYPE rulebook_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < buckets.size(); ++i)
      o << "rulebook_http_request_duration_seconds_bucket{route=\"" << label(route) << "\",le=\"" << buckets[i]
        << "\"} " << h.counts[i] << "\n";
    o << "rulebook_http_request_duration_seconds_bucket{route=\"" << label(route) << "\",le=\"+Inf\"} " << h.count
      << "\n";
    o << "rulebook_http_request_duration_seconds_sum{route=\"" << label(route) << "\"} " << h.sum << "\n";
    o << "rulebook_http_request_duration_seconds_count{route=\"" << label(route) << "\"} " << h.count << "\n";
  }
  o << "# HELP rulebook_decisions_total Decisions taken, by pack and outcome.\n"
       "# TYPE rulebook_decisions_total counter\n";
  for (const auto& [k, n] : decisions_)
    o << "rulebook_decisions_total{pack=\"" << label(k.first) << "\",outcome=\"" << label(k.second) << "\"} " << n
      << "\n";
  o << "# HELP rulebook_errors_total Error answers, by error code.\n# TYPE rulebook_errors_total counter\n";
  for (const auto& [code, n] : errors_) o << "rulebook_errors_total{code=\"" << label(code) << "\"} " << n << "\n";
  o << "# HELP rulebook_connections_rejected_total Connections answered 503 because every worker was busy and the "
       "queue full.\n# TYPE rulebook_connections_rejected_total counter\nrulebook_connections_rejected_total "
    << rejected_ << "\n";
  o << "# HELP rulebook_pack_reloads_total Pack reloads, by result.\n# TYPE rulebook_pack_reloads_total counter\n"
    << "rulebook_pack_reloads_total{result=\"ok\"} " << reloads_ok_ << "\n"
    << "rulebook_pack_reloads_total{result=\"failed\"} " << reloads_failed_ << "\n";
  o << "# HELP rulebook_packs_loaded Packs being served.\n# TYPE rulebook_packs_loaded gauge\nrulebook_packs_loaded "
    << packs_ << "\n";
  o << "# HELP rulebook_ledger_records_total Decisions recorded in the ledger by this process.\n"
       "# TYPE rulebook_ledger_records_total counter\nrulebook_ledger_records_total "
    << records_ << "\n";
  o << "# HELP rulebook_ledger_transactions_total Ledger transactions decisions were taken in by this process, "
       "those the ledger refused included.\n"
       "# TYPE rulebook_ledger_transactions_total counter\nrulebook_ledger_transactions_total "
    << transactions_ << "\n";
  return o.str();
}

}  // namespace rulebook::serve
