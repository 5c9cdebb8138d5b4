// What both stores share: opening by URL, record ids and times, the export formats.

#include "ledger/ledger.hpp"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "ledger/postgres_store.hpp"
#include "ledger/sqlite_store.hpp"

#ifndef RULEBOOK_VERSION
#define RULEBOOK_VERSION "unknown"
#endif

namespace rulebook::ledger {

const char* engine_version() { return RULEBOOK_VERSION; }

std::unique_ptr<Ledger> open_ledger(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return open_postgres(url);
  std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
  if (path.rfind("//", 0) == 0) path = path.substr(2);  // sqlite://PATH as well as sqlite:PATH
  if (path.empty()) throw LedgerError("the ledger URL '" + url + "' names no file");
  if (path.find("://") != std::string::npos)
    throw LedgerError("unknown ledger URL '" + url + "': use sqlite:PATH, a path, or postgresql://…");
  return open_sqlite(path);
}

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

namespace {

nlohmann::json opt(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

nlohmann::ordered_json summary_json(const Record& r) {
  return {
      {"id", r.id},
      {"seq", r.seq},
      {"recorded_at", r.recorded_at},
      {"reviewer", r.reviewer},
      {"applicant_name", opt(r.applicant_name)},
      {"credit_code", opt(r.credit_code)},
      {"application_id", opt(r.application_id)},
      {"pack", {{"id", r.pack_id}, {"version", r.pack_version}, {"hash", r.pack_hash}}},
      {"as_of", r.as_of},
      {"input_hash", r.input_hash},
      {"outcome", r.outcome},
      {"engine_version", r.engine_version},
      {"supersedes", opt(r.supersedes)},
      {"superseded_by", opt(r.superseded_by)},
      {"has_input", r.input.has_value()},
  };
}

std::string to_json(const Record& r) {
  // The decision is embedded as written (its numbers keep their digits), so the object is
  // assembled around it rather than re-serialised through nlohmann's doubles.
  nlohmann::ordered_json head = summary_json(r);
  std::string out = head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out.pop_back();  // the closing brace
  std::string decision = r.decision_json;
  while (!decision.empty() && (decision.back() == '\n' || decision.back() == ' ')) decision.pop_back();
  // Compact the pretty-printed decision onto one line: JSON Lines needs one record a line,
  // and newlines inside JSON strings are already escaped, so dropping them keeps it valid.
  std::string compact;
  compact.reserve(decision.size());
  bool in_string = false, escaped = false;
  for (char c : decision) {
    if (in_string) {
      compact += c;
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '\n' || c == '\r') continue;
    if (c == ' ' && !compact.empty() && (compact.back() == ' ' || compact.back() == '{' || compact.back() == '[' ||
                                         compact.back() == ','))
      continue;
    compact += c;
  }
  out += ",\"decision\":" + (compact.empty() ? std::string("null") : compact) + "}";
  return out;
}

std::string csv_header() {
  return "id,seq,recorded_at,reviewer,applicant_name,credit_code,application_id,pack_id,pack_version,pack_hash,"
         "as_of,input_hash,outcome,engine_version,supersedes,superseded_by\r\n";
}

std::string to_csv(const Record& r) {
  auto o = [](const std::optional<std::string>& s) { return s ? csv_cell(*s) : std::string(); };
  return csv_cell(r.id) + "," + std::to_string(r.seq) + "," + csv_cell(r.recorded_at) + "," + csv_cell(r.reviewer) +
         "," + o(r.applicant_name) + "," + o(r.credit_code) + "," + o(r.application_id) + "," + csv_cell(r.pack_id) +
         "," + csv_cell(r.pack_version) + "," + csv_cell(r.pack_hash) + "," + csv_cell(r.as_of) + "," +
         csv_cell(r.input_hash) + "," + csv_cell(r.outcome) + "," + csv_cell(r.engine_version) + "," +
         o(r.supersedes) + "," + o(r.superseded_by) + "\r\n";
}

}  // namespace rulebook::ledger
