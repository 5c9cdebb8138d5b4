// What both stores share: opening by URL and the export formats.

#include "ledger/ledger.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>

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
  // Neither is echoed: what follows the scheme, or a connection string, may hold a password.
  if (auto scheme = path.find("://"); scheme != std::string::npos)
    throw LedgerError("unknown ledger URL scheme '" + path.substr(0, scheme) +
                      "://': use sqlite:PATH, a path, or postgresql://… (in lower case)");
  static const std::regex conninfo(R"((^|\s)(host|hostaddr|port|dbname|user|password)\s*=)");
  if (std::regex_search(path, conninfo))
    throw LedgerError(
        "the ledger is given as a PostgreSQL connection string (host=… dbname=…), not a file: "
        "write it as a URL, postgresql://user@host:port/dbname?…");
  return open_sqlite(path);
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
  // The input as received, as a JSON string (its SHA-256 is input_hash), and the ledger figures
  // it was decided on: an export is the evidence itself, replayable without the database.
  // INVARIANT: both are valid UTF-8 (only parsed documents are recorded), so dump() below keeps
  // their bytes.
  head["input"] = opt(r.input);
  head["ledger_figures"] = opt(r.ledger_figures);
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
