#include "serve/server.hpp"

#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "ledger/ledger.hpp"
#include "rulebook/report.hpp"
#include "serve/api_error.hpp"
#include "serve/connection.hpp"
#include "serve/desk.hpp"
#include "serve/metrics.hpp"
#include "serve/pack_set.hpp"
#include "serve/playground.hpp"
#include "sheet/sheet.hpp"
#include "value/utf8.hpp"

namespace rulebook::serve {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

// What the logger needs of the request being answered on this worker.
thread_local Clock::time_point request_start;
thread_local std::string request_route;
thread_local const Connection* request_connection = nullptr;
// The language of its error messages (?lang=zh or en; English when not given, for programs).
thread_local std::string request_lang;
// The request could not be read whole (a bad request line or headers, a body over the limit): what
// follows on the connection is no request boundary, so the connection ends after the answer.
thread_local bool request_unreadable = false;

// The parts of cpp-httplib's Server we use without its sockets: routing and the HTTP codec.
class HttpCore : public httplib::Server {
 public:
  bool handle(httplib::Stream& strm, bool close_connection, bool& connection_closed,
              const std::function<void(httplib::Request&)>& setup) {
    return process_request(strm, close_connection, connection_closed, setup);
  }
};

Date today() {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(system_clock::now())};
  return *Date::from_ymd(int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())));
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"; }

json text_json(const Text& t) { return {{"zh", t.zh}, {"en", t.en}}; }

// Who a document is about (applicant_of: where the subject schema says), null where not named.
json applicant_json(const Applicant& a) {
  auto given = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"name", given(a.name)}, {"credit_code", given(a.credit_code)}, {"application_id", given(a.application_id)}};
}

// ASCII lower case: header values compared as names (hosts, origins) are case-insensitive.
std::string lowercase(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int outcome_rank(const std::string& o) {
  static const char* order[] = {"not_applicable", "pass", "needs_info", "fail", "error"};
  for (int i = 0; i < 5; ++i)
    if (o == order[i]) return i;
  return 0;
}

// Splits a valid JSON array's text into its elements' texts (the body parsed already).
std::vector<std::string_view> array_elements(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = text.find('[') + 1, start = std::string_view::npos;
  int depth = 0;
  bool in_string = false, escaped = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (start == std::string_view::npos && c != ']' && c != ',') start = i;
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if ((c == ',' || c == ']') && depth == 0) {
      if (start != std::string_view::npos) {
        std::size_t end = i;
        while (end > start && std::strchr(" \n\r\t", text[end - 1])) --end;
        out.push_back(text.substr(start, end - start));
      }
      start = std::string_view::npos;
      if (c == ']') break;
    } else if (c == '}' || c == ']') --depth;
  }
  return out;
}

class Service {
 public:
  Service(const ServeOptions& o, std::unique_ptr<ledger::Ledger> ledger, std::shared_ptr<PackRegistry> registry)
      : o_(o), ledger_(std::move(ledger)), registry_(std::move(registry)) {
    routes();
  }

  HttpCore& http() { return http_; }
  Metrics& metrics() { return metrics_; }

  // SIGHUP and POST /admin/reload.
  PackSetResult reload() {
    PackSetResult r = registry_->reload();
    metrics_.reload(r.set != nullptr);
    if (r.set) metrics_.set_packs(r.set->packs.size());
    return r;
  }

 private:
  void answer(httplib::Response& res, const ApiError& e) {
    metrics_.error(e.code);
    res.status = e.status;
    res.set_content(e.to_json(request_lang), "application/json");
  }
  // Whether the request's Origin names the host it was sent to (Host, or X-Forwarded-Host behind a
  // proxy), whatever the scheme (TLS may end at a proxy in front).
  static bool same_origin(const httplib::Request& req) {
    std::string origin = lowercase(req.get_header_value("Origin"));
    auto at = origin.find("://");
    if (at == std::string::npos) return false;  // "null": a sandboxed frame or a file
    origin = origin.substr(at + 3);
    for (const char* h : {"Host", "X-Forwarded-Host"})
      if (req.has_header(h) && lowercase(req.get_header_value(h)) == origin) return true;
    return false;
  }

  ApiError body_too_large() const {
    return api_error(413, "body_too_large",
                     "the body is larger than the limit of " + std::to_string(o_.max_body) + " bytes",
                     "请求内容超过 " + std::to_string(o_.max_body) + " 字节的上限");
  }

  // Whether a request is the operator's (a reload, saving a rule file): from the loopback,
  // addressed by a loopback name (a page rebound to 127.0.0.1 is not, with --allow-remote too),
  // and not forwarded. A reverse proxy on this machine connects from the loopback, naming it in
  // Host, for every client it forwards: only the headers it adds tell them apart. nginx drops a
  // header whose value is empty (X-Forwarded-Host of a request without Host), so any of them will
  // do, and the README's configuration sets X-Forwarded-For, which is never empty.
  static bool from_this_machine(const httplib::Request& req) {
    for (const auto& [name, value] : req.headers) {
      std::string n = lowercase(name);
      if (n.starts_with("x-forwarded-") || n == "forwarded" || n == "via" || n == "x-real-ip" || n == "x-client-ip")
        return false;
    }
    return is_loopback(req.remote_addr) && addressed_to_loopback(req);
  }

  // Whether the request is addressed to this machine by a loopback name (Host: localhost:8080,
  // 127.0.0.1:8080, [::1]:8080), or names no host (HTTP/1.0). Host is a name here, not an address:
  // "127.0.0.1.evil.example" is a domain an attacker may point at 127.0.0.1, so only an exact
  // localhost (a final dot allowed), [::1] or a dotted quad of digits in 127/8 counts.
  static bool addressed_to_loopback(const httplib::Request& req) {
    if (!req.has_header("Host")) return true;
    std::string host = lowercase(req.get_header_value("Host"));
    auto port_ok = [](std::string_view p) {  // nothing, or ":" and digits
      return p.empty() ||
             (p.size() > 1 && p[0] == ':' && p.find_first_not_of("0123456789", 1) == std::string_view::npos);
    };
    if (host.starts_with("[")) {
      auto end = host.find(']');
      return end != std::string::npos && host.substr(1, end - 1) == "::1" &&
             port_ok(std::string_view(host).substr(end + 1));
    }
    auto colon = host.find(':');
    std::string name = host.substr(0, colon);
    if (colon != std::string::npos && !port_ok(std::string_view(host).substr(colon))) return false;
    if (name == "localhost" || name == "localhost.") return true;
    int parts = 0;
    for (std::size_t i = 0; i <= name.size(); ++parts) {  // four numbers 0…255, the first 127
      std::size_t dot = std::min(name.find('.', i), name.size());
      std::string_view n = std::string_view(name).substr(i, dot - i);
      if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string_view::npos ||
          std::stoi(std::string(n)) > 255 || (parts == 0 && n != "127"))
        return false;
      i = dot + 1;
    }
    return parts == 4;
  }

  // Errors answered from several routes, each worded once.
  static ApiError bad_lang(const std::string& lang) {
    return api_error(400, "bad_lang", "lang expects zh or en, got '" + lang + "'",
                     "lang 应为 zh 或 en，收到的是「" + lang + "」");
  }
  static ApiError ledger_unreadable(const ledger::LedgerError& e) {
    return api_error(503, "ledger_unavailable", std::string("the ledger could not be read: ") + e.what(),
                     std::string("无法读取台账：") + e.what());
  }
  static ApiError unknown_record(const std::string& id) {
    return api_error(404, "unknown_record", "no ledger record '" + id + "'", "台账中没有记录「" + id + "」");
  }

  // The pack named in the path, from the set this request started with.
  std::shared_ptr<const ServedPack> pack_of(const PackSet& set, const std::string& id, httplib::Response& res) {
    auto it = set.packs.find(id);
    if (it != set.packs.end()) return it->second;
    std::string known;
    for (const auto& [k, v] : set.packs) known += (known.empty() ? "" : ", ") + k;
    answer(res, api_error(404, "unknown_pack", "no pack '" + id + "'; serving: " + known,
                          "没有规则包「" + id + "」；可用的规则包：" + known));
    return nullptr;
  }

  // as_of from the query (default: today, as `check`). A review date after the plan ended is
  // legitimate (see DESIGN "Two dates"); the rules judge which events the plan governs.
  std::optional<Date> as_of_of(const httplib::Request& req, httplib::Response& res) {
    Date as_of = today();
    if (req.has_param("as_of")) {
      auto d = Date::parse(req.get_param_value("as_of"));
      if (!d) {
        answer(res, api_error(400, "bad_as_of",
                              "as_of expects a date YYYY-MM-DD, got '" + req.get_param_value("as_of") + "'",
                              "评估日期应为 YYYY-MM-DD 格式的日期，收到的是「" + req.get_param_value("as_of") + "」"));
        return std::nullopt;
      }
      as_of = *d;
    }
    return as_of;
  }

  std::optional<std::string> reviewer_of(const httplib::Request& req, httplib::Response& res) {
    // The header, or (from a browser, which cannot send UTF-8 in a header) the query's `reviewer`.
    std::string r = req.get_header_value("X-Reviewer");
    if (r.empty() && req.has_param("reviewer")) r = req.get_param_value("reviewer");
    if (r.empty()) return o_.reviewer;
    if (r.size() > 200) {
      answer(res, api_error(400, "bad_reviewer", "the reviewer (X-Reviewer or reviewer=) is longer than 200 bytes",
                            "审核人名称（X-Reviewer 或 reviewer=）超过 200 字节"));
      return std::nullopt;
    }
    // Who decided is evidence: recorded as sent, the same in every store. Bytes that are not UTF-8
    // were kept by SQLite and refused by PostgreSQL (503, "retry", which never helps), and a NUL
    // cut the name short in PostgreSQL only (reviewer=a%00b recorded "a").
    if (invalid_utf8(r) || std::any_of(r.begin(), r.end(), [](char c) { return (unsigned char)c < 0x20 || c == 0x7f; })) {
      answer(res, api_error(400, "bad_reviewer",
                            "the reviewer (X-Reviewer or reviewer=) must be UTF-8 text without control characters",
                            "审核人名称（X-Reviewer 或 reviewer=）须为不含控制字符的 UTF-8 文本"));
      return std::nullopt;
    }
    return r;
  }

  json pack_summary(const ServedPack& p) {
    const PackInfo& info = p.loaded.pack.info();
    json figures = json::array();
    for (const auto& f : p.loaded.figures.specs) figures.push_back(f.name);
    return {{"id", info.id},
            {"version", info.version},
            {"title", text_json(info.title)},
            {"effective", {{"from", info.effective_from.to_string()}, {"to", info.effective_to.to_string()}}},
            {"hash", p.loaded.hash},
            {"subject_schema", p.subject_schema.empty() ? json(nullptr) : json(p.subject_schema)},
            {"rules", info.rule_ids},
            {"ledger_figures", figures},
            {"reads", p.reads}};
  }

  json rules_json(const ServedPack& p) {
    json rules = json::array();
    for (const auto& r : p.rules)
      rules.push_back({{"id", r.id},
                       {"title", text_json(r.title)},
                       {"severity", r.severity},
                       {"clause", r.clause},
                       {"quote", r.quote}});
    return rules;
  }

  void record_metrics(const std::string& pack, const std::vector<ledger::Decided>& decided) {
    for (const auto& d : decided) metrics_.decision(pack, std::string(to_string(d.decision.outcome)));
    if (ledger_) metrics_.ledger_records(decided.size());
  }

  // Takes out of `subs` (and `which`) each submission the store's append would refuse
  // (ledger::refuse_another_unit), with its 409 in `errors`: one naming an application whose current
  // record names another unit, or none where it names one; the current record being the ledger's,
  // or the last of this request's submissions kept that names the application. A ledger that
  // cannot be read here is left to the transaction to report.
  void refuse_other_units(const CompiledPack& pack, std::vector<ledger::Submission>& subs,
                          std::vector<std::size_t>& which, std::vector<std::optional<ApiError>>& errors) {
    std::map<std::string, std::optional<std::string>> unit_of;  // application → its current record's credit code
    try {
      for (std::size_t k = 0; k < subs.size();) {
        ledger::Record r;
        auto who = ledger::identify(*subs[k].document, pack);
        r.application_id = who.application_id;
        r.credit_code = who.credit_code;
        std::optional<ApiError> refused;
        if (r.application_id) {
          auto [known, first] = unit_of.try_emplace(*r.application_id);
          bool recorded = !first;
          if (first) {
            ledger::Query q;
            q.pack_id = pack.info().id;
            q.application_id = r.application_id;
            q.current_only = true;
            for (const auto& current : ledger_->list(q)) known->second = current.credit_code, recorded = true;
          }
          try {
            if (recorded) ledger::refuse_another_unit(r, known->second);
            known->second = r.credit_code;  // this submission's record is the application's current one
          } catch (const ledger::ApplicationConflict& e) {
            refused = conflict_error(e);
          }
        }
        if (!refused) {
          ++k;
          continue;
        }
        errors[which[k]] = std::move(refused);
        subs.erase(subs.begin() + std::ptrdiff_t(k));
        which.erase(which.begin() + std::ptrdiff_t(k));
      }
    } catch (const ledger::LedgerError&) {
    }
  }

  static ApiError conflict_error(const ledger::ApplicationConflict& e) {
    return api_error(409, "application_conflict", e.what(), e.message_zh);
  }

  // Decides and records; false (with the answer set) when the ledger could not keep them. An
  // application recorded for another unit is answered 409, or with `rethrow_conflict` thrown
  // (nothing was recorded) for a batch to refuse that item in its place.
  bool decide(const ServedPack& pack, const std::vector<ledger::Submission>& subs, Date as_of,
              const std::string& reviewer, std::vector<ledger::Decided>& out, httplib::Response& res,
              bool record = true, bool rethrow_conflict = false) {
    EvalOptions eval = o_.eval;
    eval.as_of = as_of;
    if (ledger_) metrics_.ledger_transaction();
    try {
      out = ledger::decide(ledger_.get(), pack.loaded, subs, eval, reviewer, record);
    } catch (const ledger::ApplicationConflict& e) {  // the request's, not the ledger's: retrying will not help
      if (rethrow_conflict) throw;
      answer(res, conflict_error(e));
      return false;
    } catch (const ledger::LedgerError& e) {
      // Nothing was recorded, so nothing is answered as decided: the client may retry.
      std::cerr << "rulebook serve: ledger: " << e.what() << "\n";
      answer(res, api_error(503, "ledger_unavailable", std::string("the decision could not be recorded: ") + e.what(),
                            std::string("无法将判定写入台账：") + e.what()));
      return false;
    }
    if (record) record_metrics(pack.loaded.pack.info().id, out);
    return true;
  }

  // dry_run=true: the review desk's preview, decided on the ledger's figures but not recorded.
  std::optional<bool> dry_run_of(const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("dry_run")) return false;
    std::string v = req.get_param_value("dry_run");
    if (v == "true" || v == "1") return true;
    if (v == "false" || v == "0") return false;
    answer(res, api_error(400, "bad_parameter", "dry_run expects true or false, got '" + v + "'",
                          "dry_run 应为 true 或 false，收到的是「" + v + "」"));
    return std::nullopt;
  }

  // One document to decide, as check and report receive it: everything checked, or the answer set.
  struct OneDocument {
    std::shared_ptr<const PackSet> set;
    std::shared_ptr<const ServedPack> pack;
    Date as_of;
    std::string reviewer;
    bool dry_run = false;
    std::optional<Document> document;
  };
  std::optional<OneDocument> one_document(const httplib::Request& req, httplib::Response& res) {
    OneDocument one;
    one.set = registry_->current();
    one.pack = pack_of(*one.set, req.matches[1], res);
    if (!one.pack) return std::nullopt;
    auto as_of = as_of_of(req, res);
    if (!as_of) return std::nullopt;
    one.as_of = *as_of;
    auto reviewer = reviewer_of(req, res);
    if (!reviewer) return std::nullopt;
    one.reviewer = *reviewer;
    auto dry = dry_run_of(req, res);
    if (!dry) return std::nullopt;
    one.dry_run = *dry;
    std::string name = req.has_param("name") ? req.get_param_value("name") : "-";
    DocumentResult doc = Document::parse(req.body, name, o_.input);
    if (!doc.document) return answer(res, parse_error(doc.errors)), std::nullopt;
    if (auto problems = one.pack->loaded.pack.validate(*doc.document); !problems.empty())
      return answer(res, schema_error(problems)), std::nullopt;
    if (auto problems = ledger::identity_problems(*doc.document, one.pack->loaded.pack); !problems.empty())
      return answer(res, schema_error(problems)), std::nullopt;
    one.document = std::move(doc.document);
    return one;
  }

  void name_record(httplib::Response& res, const ledger::Decided& d, bool dry_run) {
    res.set_header("X-Outcome", std::string(to_string(d.decision.outcome)));
    if (!ledger_ || dry_run) return;
    res.set_header("X-Decision-Id", d.record.id);
    res.set_header("X-Ledger-Seq", std::to_string(d.record.seq));
    if (d.record.supersedes) res.set_header("X-Supersedes", *d.record.supersedes);
  }

  void check(const httplib::Request& req, httplib::Response& res) {
    request_route = "/packs/{id}/check";
    auto one = one_document(req, res);
    if (!one) return;
    std::vector<ledger::Decided> decided;
    if (!decide(*one->pack, {{&*one->document, req.body}}, one->as_of, one->reviewer, decided, res, !one->dry_run))
      return;
    name_record(res, decided.front(), one->dry_run);
    res.set_content(decided.front().json, "application/json");
  }

  // The decision as the report a reviewer signs: what `check --format html` writes.
  void report(const httplib::Request& req, httplib::Response& res) {
    request_route = "/packs/{id}/report";
    std::string lang = req.has_param("lang") ? req.get_param_value("lang") : "zh";
    if (lang != "zh" && lang != "en") return answer(res, bad_lang(lang));
    auto one = one_document(req, res);
    if (!one) return;
    std::vector<ledger::Decided> decided;
    if (!decide(*one->pack, {{&*one->document, req.body}}, one->as_of, one->reviewer, decided, res, !one->dry_run))
      return;
    ReportOptions options;
    options.lang = lang;
    options.pack = &one->pack->loaded.pack;
    options.input = &*one->document;
    options.pack_hash = one->pack->loaded.hash;
    options.reviewer = one->reviewer;
    name_record(res, decided.front(), one->dry_run);
    res.set_header("Content-Security-Policy", report_policy);
    res.set_content(to_html(decided.front().decision, options), "text/html; charset=utf-8");
  }

  // An uploaded sheet (multipart: `file`, xlsx or CSV, and `mapping`, its YAML, or none for a
  // sheet laid out as the pack's template) as documents, each with who it is about (x-applicant),
  // also one the sheet refused: the desk names every row as the reviewer knows it.
  void sheet(const httplib::Request& req, httplib::Response& res) {
    request_route = "/packs/{id}/sheet";
    auto set = registry_->current();
    auto pack = pack_of(*set, req.matches[1], res);
    if (!pack) return;
    if (!req.is_multipart_form_data() || !req.has_file("file"))
      return answer(res,
                    api_error(400, "bad_upload",
                              "send multipart/form-data with the sheet as `file` (.xlsx or .csv) and, unless it is "
                              "laid out as the pack's template, its mapping as `mapping` (YAML)",
                              "请以 multipart/form-data 上传：表格作为 `file`（.xlsx 或 .csv），若不是按规则包的模板"
                              "填写，另附列映射作为 `mapping`（YAML）"));
    auto file = req.get_file_value("file");
    std::optional<std::string> mapping;
    if (req.has_file("mapping")) mapping = req.get_file_value("mapping").content;
    bool xlsx = is_xlsx(file.filename) || file.content.rfind("PK\x03\x04", 0) == 0;
    std::string shown = file.filename.empty() ? (xlsx ? "upload.xlsx" : "upload.csv") : file.filename;
    SheetUpload up = read_uploaded_sheet(file.content, xlsx, mapping, shown, pack->loaded.pack);
    if (!up.errors.empty()) return answer(res, sheet_error(up.errors));
    // Assembled as text so that each document keeps its numbers' digits.
    std::string out = dump({{"pack", pack->loaded.pack.info().id}, {"file", shown}, {"count", up.documents.size()}});
    out.erase(out.find_last_of('}'));
    out += ",\"documents\":[";
    for (std::size_t i = 0; i < up.documents.size(); ++i) {
      const SheetDocument& d = up.documents[i];
      json errors = json::array();
      for (const auto& e : d.errors) errors.push_back({{"message", placed_message(e, request_lang)},
                                                        {"path", e.json_path.empty() ? json(nullptr) : json(e.json_path)}});
      std::string head = dump({{"index", i},
                               {"id", d.id.empty() ? json(nullptr) : json(d.id)},
                               {"row", d.row},
                               {"errors", errors},
                               {"applicant", applicant_json(d.applicant)}});
      head.erase(head.find_last_of('}'));
      out += (i ? "," : "") + head + ",\"document\":" + (d.text.empty() ? std::string("null") : d.text) + "}";
    }
    out += "]}\n";
    res.set_content(out, "application/json");
  }

  // The pack's sheet template (x-sheet), empty, headed by the fields' labels in `lang`: what
  // POST /packs/{id}/sheet and `rulebook batch` read back without a mapping.
  void sheet_template_file(const httplib::Request& req, httplib::Response& res) {
    request_route = "/packs/{id}/template";
    std::string lang = req.has_param("lang") ? req.get_param_value("lang") : "zh";
    if (lang != "zh" && lang != "en") return answer(res, bad_lang(lang));
    auto set = registry_->current();
    auto pack = pack_of(*set, req.matches[1], res);
    if (!pack) return;
    auto t = sheet_template(pack->loaded.pack);
    if (!t)
      return answer(
          res, api_error(
                   404, "no_template",
                   "the pack " + std::string(req.matches[1]) + " has no sheet template (x-sheet in its subject schema)",
                   "规则包 " + std::string(req.matches[1]) + " 没有表格模板（其主体 schema 中没有 x-sheet）"));
    res.set_content(template_csv(*t, lang), "text/csv; charset=utf-8");
  }

  bool has_ledger(httplib::Response& res) {
    if (ledger_) return true;
    answer(res, api_error(404, "no_ledger", "this service keeps no ledger (serve --no-ledger)",
                          "本服务未启用台账（serve --no-ledger）"));
    return false;
  }

  // The reviewer's search: newest first. The store answers exact filters; the words of a name
  // are matched here, over the pack's records, which an office's ledger keeps few enough of.
  void ledger_search(const httplib::Request& req, httplib::Response& res) {
    request_route = "/ledger";
    if (!has_ledger(res)) return;
    std::size_t limit = 50;
    if (req.has_param("limit")) {
      std::string v = req.get_param_value("limit");
      if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos || std::stoul(v) == 0 ||
          std::stoul(v) > 1000)  // as documented: 1001 was answered as 1000, silently
        return answer(res, api_error(400, "bad_parameter", "limit expects a number 1…1000, got '" + v + "'",
                                     "limit 应为 1…1000 之间的数，收到的是「" + v + "」"));
      limit = std::min<std::size_t>(std::stoul(v), 1000);
    }
    std::string q = req.has_param("q") ? req.get_param_value("q") : "";
    ledger::Query query;
    if (req.has_param("pack")) query.pack_id = req.get_param_value("pack");
    query.current_only = req.has_param("current") && req.get_param_value("current") == "true";
    std::vector<ledger::Record> found;
    try {
      found = ledger_->list(query);
    } catch (const ledger::LedgerError& e) {
      return answer(res, ledger_unreadable(e));
    }
    json records = json::array();
    std::size_t matched = 0;
    for (auto it = found.rbegin(); it != found.rend(); ++it)
      if (record_matches(*it, q) && matched++ < limit) records.push_back(ledger::summary_json(*it));
    res.set_content(dump({{"query", q}, {"count", matched}, {"records", records}}), "application/json");
  }

  // The record the route names, or nullopt with the answer (no ledger, unreadable, unknown) given.
  std::optional<ledger::Record> find_record(const httplib::Request& req, httplib::Response& res) {
    if (!has_ledger(res)) return std::nullopt;
    std::optional<ledger::Record> r;
    try {
      r = ledger_->find(req.matches[1]);
    } catch (const ledger::LedgerError& e) {
      answer(res, ledger_unreadable(e));
      return std::nullopt;
    }
    if (!r) answer(res, unknown_record(req.matches[1]));
    return r;
  }

  void ledger_record(const httplib::Request& req, httplib::Response& res) {
    request_route = "/ledger/{id}";
    if (auto r = find_record(req, res)) res.set_content(ledger::to_json(*r) + "\n", "application/json");
  }

  // A past decision as the report the reviewer signed: its input decided again under the same
  // pack (same content hash) on its review date with the ledger figures it was decided on, and
  // shown only when that decision is byte for byte the stored one. Otherwise 409 says why
  // (`no_input`, `pack_changed`, `decision_differs`), and the desk shows the stored decision.
  void ledger_report(const httplib::Request& req, httplib::Response& res) {
    request_route = "/ledger/{id}/report";
    std::string lang = req.has_param("lang") ? req.get_param_value("lang") : "zh";
    if (lang != "zh" && lang != "en") return answer(res, bad_lang(lang));
    auto r = find_record(req, res);
    if (!r) return;
    auto set = registry_->current();
    auto it = set->packs.find(r->pack_id);
    ledger::Replayed again;  // no_input unless replayed
    if (r->input) {
      if (it != set->packs.end()) again = ledger::replay(it->second->loaded, *r, o_.eval, o_.input);
      else again.status = ledger::Replay::pack_changed;
    }
    auto refuse = [&](const char* code, std::string en, std::string zh) {
      answer(res, api_error(409, code, std::move(en), std::move(zh)));
    };
    switch (again.status) {
      case ledger::Replay::same: break;
      case ledger::Replay::no_input:
        return refuse("no_input", "the record was written before the ledger kept inputs: only its decision is kept",
                      "该记录写入时台账尚未保存申请内容：只保存了判定");
      case ledger::Replay::pack_changed:
        return refuse("pack_changed",
                      "the pack " + r->pack_id + " has changed since (content hash " + r->pack_hash +
                          "), so the report cannot be made again",
                      "规则包 " + r->pack_id + " 自此记录作出后已更改（原内容哈希 " + r->pack_hash + "），无法重现报告");
      case ledger::Replay::decision_differs:
        return refuse("decision_differs", "deciding the stored input again gives another decision than the one recorded",
                      "重新判定所存申请得到的判定与记录不同");
    }
    ReportOptions options;
    options.lang = lang;
    options.pack = &it->second->loaded.pack;
    options.input = &*again.input;
    options.pack_hash = r->pack_hash;
    options.reviewer = r->reviewer;
    res.set_header("X-Decision-Id", r->id);
    res.set_header("Content-Security-Policy", report_policy);
    res.set_content(to_html(again.decision, options), "text/html; charset=utf-8");
  }

  // The desk's files. The policy keeps the page to its own files: no CDN, nothing fetched
  // from elsewhere (a report shown in a frame inherits it).
  void desk_file(const std::string& name, httplib::Response& res) {
    request_route = "/desk/{file}";
    const DeskAsset* a = find_desk_asset(name);
    if (!a)
      return answer(
          res, api_error(404, "not_found", "the desk has no file '" + name + "'", "审核台没有文件「" + name + "」"));
    res.set_header("Content-Security-Policy", desk_policy);
    res.set_header("Cache-Control", "no-cache");
    res.set_content(std::string(a->bytes), desk_content_type(name).c_str());
  }
  static constexpr const char* desk_policy =
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-src 'self' blob:; "
      "object-src 'none'; base-uri 'none'";
  static constexpr const char* report_policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  void batch(const httplib::Request& req, httplib::Response& res) {
    request_route = "/packs/{id}/batch";
    auto set = registry_->current();
    auto pack = pack_of(*set, req.matches[1], res);
    if (!pack) return;
    auto as_of = as_of_of(req, res);
    if (!as_of) return;
    auto reviewer = reviewer_of(req, res);
    if (!reviewer) return;
    auto dry_run = dry_run_of(req, res);
    if (!dry_run) return;
    // The inputs: a JSON array, or JSON Lines (one document a line; blank lines skipped).
    struct Item {
      std::size_t line;
      std::string_view text;
    };
    std::vector<Item> items;
    std::string_view body = req.body;
    // A byte-order mark (a file saved by Notepad) is no document: `check` reads past it, and so does a
    // batch, whose array behind one was read as JSON Lines, each line refused.
    if (body.rfind("\xEF\xBB\xBF", 0) == 0) body.remove_prefix(3);
    std::size_t first = body.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
      return answer(res, api_error(400, "empty_batch", "the body holds no document", "请求内容中没有申报材料"));
    if (body[first] == '[') {
      // A document's root is an object, so the array is checked as the member of one; only
      // columns on the first line move, by the 5 bytes of the wrapper.
      std::string wrapped = "{\"_\":" + std::string(body) + "}";
      InputLimits limits = o_.input;
      limits.max_bytes += 6;
      limits.max_depth += 1;
      DocumentResult whole = Document::parse(wrapped, "-", limits);
      if (!whole.document) {
        ApiError e = parse_error(whole.errors);
        if (e.line == 1 && e.column > 5) e.column -= 5;
        return answer(res, e);
      }
      std::size_t n = whole.document->root().as_object().find("_")->as_list().items.size();
      if (n > o_.max_batch)
        return answer(res, api_error(413, "batch_too_long",
                                     "the batch holds " + std::to_string(n) + " documents; the limit is " +
                                         std::to_string(o_.max_batch),
                                     "本批含 " + std::to_string(n) + " 份申报材料，上限为 " +
                                         std::to_string(o_.max_batch) + " 份"));
      for (auto e : array_elements(body)) items.push_back({0, e});
    } else {
      std::size_t line = 0, pos = 0;
      while (pos <= body.size()) {
        std::size_t end = body.find('\n', pos);
        if (end == std::string_view::npos) end = body.size();
        ++line;
        std::string_view text = body.substr(pos, end - pos);
        if (text.find_first_not_of(" \t\r") != std::string_view::npos) {
          if (items.size() == o_.max_batch)
            return answer(res, api_error(413, "batch_too_long",
                                         "the batch holds more than " + std::to_string(o_.max_batch) + " documents",
                                         "本批超过 " + std::to_string(o_.max_batch) + " 份申报材料的上限"));
          items.push_back({line, text});
        }
        pos = end + 1;
      }
    }
    std::string name = req.has_param("name") ? req.get_param_value("name") : "-";
    // Parse and validate every item first; the valid ones are decided and recorded together.
    std::vector<std::optional<Document>> docs(items.size());
    std::vector<std::optional<ApiError>> errors(items.size());
    std::vector<json> applicants(items.size());  // null for what is not JSON
    std::vector<ledger::Submission> subs;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < items.size(); ++i) {
      DocumentResult d = Document::parse(items[i].text, name, o_.input);
      if (!d.document) {
        errors[i] = parse_error(d.errors);
        if (items[i].line && errors[i]->line) errors[i]->line = int(items[i].line);
        continue;
      }
      applicants[i] = applicant_json(applicant_of(*d.document, &pack->loaded.pack));
      if (auto problems = pack->loaded.pack.validate(*d.document); !problems.empty()) {
        errors[i] = schema_error(problems);
        continue;
      }
      if (auto problems = ledger::identity_problems(*d.document, pack->loaded.pack); !problems.empty()) {
        errors[i] = schema_error(problems);
        continue;
      }
      docs[i] = std::move(d.document);
    }
    for (std::size_t i = 0; i < items.size(); ++i)
      if (docs[i]) subs.push_back({&*docs[i], items[i].text}), which.push_back(i);
    // An item naming an application the ledger holds for another unit is refused in its place (409).
    // Those the ledger holds already are found first: the transaction refuses one at a time, and
    // deciding every other item again after each refusal made 300 of them take 30 s.
    if (ledger_ && !*dry_run) refuse_other_units(pack->loaded.pack, subs, which, errors);
    // What the transaction still refuses (a record made since): that item is refused and the others
    // decided again without it; the ledger refused the whole call, recording nothing.
    std::vector<ledger::Decided> decided;
    while (!subs.empty()) {
      try {
        if (!decide(*pack, subs, *as_of, *reviewer, decided, res, !*dry_run, true)) return;
        break;
      } catch (const ledger::ApplicationConflict& e) {
        auto k = std::find_if(subs.begin(), subs.end(), [&](const ledger::Submission& s) {
          auto who = ledger::identify(*s.document, pack->loaded.pack);
          return who.application_id == e.application_id && who.credit_code.value_or("") == e.credit_code;
        });
        if (k == subs.end()) return answer(res, conflict_error(e));  // not one of these: the whole request's
        std::size_t at = std::size_t(k - subs.begin());
        errors[which[at]] = conflict_error(e);
        subs.erase(k);
        which.erase(which.begin() + std::ptrdiff_t(at));
      }
    }
    // The answer is assembled as text so that each decision is embedded byte for byte.
    std::string worst = "not_applicable";
    std::vector<std::string> results(items.size());
    for (std::size_t k = 0; k < decided.size(); ++k) {
      const auto& d = decided[k];
      std::string outcome(to_string(d.decision.outcome));
      if (outcome_rank(outcome) > outcome_rank(worst)) worst = outcome;
      json head = {{"index", which[k]},
                   {"line", items[which[k]].line ? json(items[which[k]].line) : json(nullptr)},
                   {"status", 200},
                   {"decision_id", ledger_ && !*dry_run ? json(d.record.id) : json(nullptr)},
                   {"applicant", applicants[which[k]]}};
      std::string h = head.dump();
      h.pop_back();
      std::string body_json = d.json;
      while (!body_json.empty() && body_json.back() == '\n') body_json.pop_back();
      results[which[k]] = h + ",\"decision\":" + body_json + "}";
    }
    std::size_t invalid = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!errors[i]) continue;
      ++invalid;
      metrics_.error(errors[i]->code);
      std::string e = errors[i]->to_json(request_lang);
      while (!e.empty() && e.back() == '\n') e.pop_back();
      json head = {{"index", i},
                   {"line", items[i].line ? json(items[i].line) : json(nullptr)},
                   {"status", errors[i]->status},
                   {"applicant", applicants[i]}};
      std::string h = head.dump();
      h.pop_back();
      results[i] = h + "," + e.substr(1);  // {"error": …} merged into the item object
    }
    const PackInfo& info = pack->loaded.pack.info();
    json head = {{"pack", {{"id", info.id}, {"version", info.version}}},
                 {"as_of", as_of->to_string()},
                 {"outcome", decided.empty() ? json(nullptr) : json(worst)},
                 {"count", items.size()},
                 {"decided", decided.size()},
                 {"invalid", invalid}};
    std::string out = head.dump();
    out.pop_back();
    out += ",\"results\":[";
    for (std::size_t i = 0; i < results.size(); ++i) out += (i ? ",\n" : "\n") + results[i];
    out += "\n]}\n";
    res.set_content(out, "application/json");
  }

  void routes() {
    auto& h = http_;
    h.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
      request_route = "/health";
      auto set = registry_->current();
      json j = {{"status", "ok"},
                {"engine_version", ledger::engine_version()},
                {"packs", set->packs.size()},
                {"packs_loaded_at", set->loaded_at},
                {"ledger", ledger_ ? json(ledger_->describe()) : json(nullptr)}};
      if (ledger_) {
        try {
          j["ledger_schema_version"] = ledger_->schema_version();
        } catch (const ledger::LedgerError& e) {
          j["status"] = "degraded";
          j["ledger_error"] = e.what();
          res.status = 503;
        }
      }
      res.set_content(dump(j), "application/json");
    });
    h.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      request_route = "/metrics";
      res.set_content(metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    h.Get("/packs", [this](const httplib::Request&, httplib::Response& res) {
      request_route = "/packs";
      auto set = registry_->current();
      json packs = json::array();
      for (const auto& [id, p] : set->packs) packs.push_back(pack_summary(*p));
      res.set_content(dump({{"packs", packs}}), "application/json");
    });
    h.Get(R"(/packs/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      request_route = "/packs/{id}";
      auto set = registry_->current();
      auto p = pack_of(*set, req.matches[1], res);
      if (!p) return;
      json j = pack_summary(*p);
      j["rules"] = rules_json(*p);
      res.set_content(dump(j), "application/json");
    });
    h.Get(R"(/packs/([^/]+)/rules)", [this](const httplib::Request& req, httplib::Response& res) {
      request_route = "/packs/{id}/rules";
      auto set = registry_->current();
      auto p = pack_of(*set, req.matches[1], res);
      if (!p) return;
      res.set_content(dump({{"pack", p->loaded.pack.info().id}, {"rules", rules_json(*p)}}), "application/json");
    });
    h.Get("/schemas", [this](const httplib::Request&, httplib::Response& res) {
      request_route = "/schemas";
      auto set = registry_->current();
      json list = json::array();
      for (const auto& [name, text] : set->schemas) {
        json packs = json::array();
        for (const auto& [id, p] : set->packs)
          if (p->subject_schema == name) packs.push_back(id);
        list.push_back({{"name", name}, {"subject_of", packs}});
      }
      res.set_content(dump({{"schemas", list}}), "application/json");
    });
    h.Get(R"(/schemas/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      request_route = "/schemas/{name}";
      auto set = registry_->current();
      auto it = set->schemas.find(req.matches[1]);
      if (it == set->schemas.end())
        return answer(res, api_error(404, "unknown_schema", "no schema '" + std::string(req.matches[1]) + "'",
                                     "没有数据结构（schema）「" + std::string(req.matches[1]) + "」"));
      res.set_content(it->second, "application/schema+json");
    });
    h.Post(R"(/packs/([^/]+)/check)", [this](const httplib::Request& req, httplib::Response& res) { check(req, res); });
    h.Post(R"(/packs/([^/]+)/batch)", [this](const httplib::Request& req, httplib::Response& res) { batch(req, res); });
    h.Post(R"(/packs/([^/]+)/report)", [this](const httplib::Request& req, httplib::Response& res) { report(req, res); });
    h.Post(R"(/packs/([^/]+)/sheet)", [this](const httplib::Request& req, httplib::Response& res) { sheet(req, res); });
    h.Get(R"(/packs/([^/]+)/template)", [this](const httplib::Request& req, httplib::Response& res) {
      sheet_template_file(req, res);
    });
    h.Get("/ledger", [this](const httplib::Request& req, httplib::Response& res) { ledger_search(req, res); });
    h.Get(R"(/ledger/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) { ledger_record(req, res); });
    h.Get(R"(/ledger/([^/]+)/report)", [this](const httplib::Request& req, httplib::Response& res) { ledger_report(req, res); });
    h.Get("/", [this](const httplib::Request&, httplib::Response& res) { desk_file("index.html", res); });
    h.Get(R"(/desk/([^/]*))", [this](const httplib::Request& req, httplib::Response& res) {
      std::string name = req.matches[1];
      desk_file(name.empty() ? "index.html" : name, res);
    });
    h.Post("/admin/reload", [this](const httplib::Request& req, httplib::Response& res) {
      request_route = "/admin/reload";
      // Reloading is the operator's act: only from the machine itself, even with --allow-remote.
      if (!from_this_machine(req))
        return answer(res, api_error(403, "forbidden",
                                     "admin routes answer only the machine itself (the loopback interface, not "
                                     "through a proxy)",
                                     "管理接口只接受本机（回环接口、不经代理）的请求"));
      PackSetResult r = reload();
      if (!r.set) {
        ApiError e = api_error(409, "reload_failed", "the packs did not load; the previous set is still serving",
                               "规则包未能加载；仍在使用之前的规则包");
        e.problems = r.errors;
        if (!r.errors.empty()) {
          e.message += ": " + r.errors.front().loc.to_string() + ": " + r.errors.front().message;
          e.message_zh += "：" + r.errors.front().loc.to_string() + "：" + r.errors.front().message_in("zh");
          e.line = r.errors.front().loc.line;
          e.column = r.errors.front().loc.col;
        }
        std::cerr << "rulebook serve: reload failed; still serving the previous packs\n";
        for (const auto& x : r.errors) std::cerr << x.to_string();
        return answer(res, e);
      }
      json packs = json::array();
      for (const auto& [id, p] : r.set->packs) packs.push_back({{"id", id}, {"version", p->loaded.pack.info().version}, {"hash", p->loaded.hash}});
      res.set_content(dump({{"reloaded", true}, {"loaded_at", r.set->loaded_at}, {"packs", packs}}), "application/json");
    });

    add_playground_routes(
        h, {registry_, [this] { return reload(); }, [](const char* r) { request_route = r; }, from_this_machine, o_});

    h.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.has_param("lang")) request_lang = req.get_param_value("lang");
      // A page of another origin may not act here. A browser sends a form or text/plain POST
      // across origins without asking first, so any web page a reviewer opened on this machine
      // could save a rule file (POST /packs/{id}/files/{name}: "loopback only", and the browser
      // is on the loopback), reload the packs or record decisions under any reviewer's name.
      // Browsers name the page's origin in Origin; the desk's own requests name this service.
      // Listening on the loopback, the service answers requests addressed to it by a loopback name
      // only: a web page whose own name was made to resolve to 127.0.0.1 (DNS rebinding) sends
      // requests whose Origin and Host agree, but Host names that page's domain.
      if (is_loopback(o_.host) && !addressed_to_loopback(req)) {
        request_route = "(foreign host)";
        request_unreadable = true;  // the body is left unread: the connection ends after the answer
        answer(res,
               api_error(403, "forbidden",
                         "this service listens on the loopback and answers requests addressed to localhost, "
                         "127.0.0.1 or [::1] only, not to '" +
                             req.get_header_value("Host") + "'",
                         "本服务仅监听本机回环地址，只接受发往 localhost、127.0.0.1 或 [::1] 的请求，不接受发往「" +
                             req.get_header_value("Host") + "」的请求"));
        return httplib::Server::HandlerResponse::Handled;
      }
      if (req.method != "GET" && req.method != "HEAD" && req.has_header("Origin") && !same_origin(req)) {
        request_route = "(cross-origin)";
        request_unreadable = true;  // the body is left unread: the connection ends after the answer
        answer(res, api_error(403, "forbidden",
                              "a request from a page of another origin (" + req.get_header_value("Origin") +
                                  ") is refused: use the review desk served here, or a client that sends no Origin",
                              "拒绝来自其他来源网页（" + req.get_header_value("Origin") +
                                  "）的请求：请使用本服务提供的审核台，或不发送 Origin 的客户端"));
        return httplib::Server::HandlerResponse::Handled;
      }
      // A body announced over the limit is refused at once and left unread: cpp-httplib would
      // read it to throw it away, holding the worker until the request's time ran out (408).
      std::uint64_t announced = 0;
      const std::string length = req.get_header_value("Content-Length");
      auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), announced);
      if (!length.empty() && end == length.data() + length.size() &&
          (ec == std::errc::result_out_of_range || (ec == std::errc() && announced > o_.max_body))) {
        request_route = "(body too large)";
        request_unreadable = true;
        answer(res, body_too_large());
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    h.set_payload_max_length(o_.max_body);
    // Statuses cpp-httplib sets itself (no route, a body over the limit, a bad request line)
    // get the same JSON error body as ours.
    h.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      if (res.status == 404) {
        request_route = "(none)";
        answer(res, api_error(404, "not_found", "no such route; see GET /packs and schemas/openapi.json",
                              "没有该接口；参见 GET /packs 与 schemas/openapi.json"));
      } else if (request_connection && request_connection->timed_out()) {
        answer(res,
               api_error(408, "request_timeout",
                         "the request did not arrive whole within " + std::to_string(o_.request_timeout_ms) + " ms",
                         "请求未能在 " + std::to_string(o_.request_timeout_ms) + " 毫秒内完整到达"));
      } else if (res.status == 413) {
        request_unreadable = true;
        answer(res, body_too_large());
      } else {
        request_unreadable = true;
        answer(res, api_error(res.status, "bad_request",
                              "the request could not be read (" + std::to_string(res.status) + ")",
                              "无法读取该请求（" + std::to_string(res.status) + "）"));
      }
      return httplib::Server::HandlerResponse::Handled;
    }));
    h.set_exception_handler([this](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unknown";
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      std::cerr << "rulebook serve: internal error: " << what << "\n";
      answer(res, api_error(500, "internal", "internal error: " + what, "内部错误：" + what));
    });
    h.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      double s = std::chrono::duration<double>(Clock::now() - request_start).count();
      metrics_.request(request_route.empty() ? "(none)" : request_route, req.method, res.status, s);
    });
  }

  const ServeOptions& o_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::shared_ptr<PackRegistry> registry_;
  HttpCore http_;
  Metrics metrics_;
};

// The workers and the bounded queue of accepted connections.
class Pool {
 public:
  Pool(const ServeOptions& o, Service& svc, const std::atomic<bool>& stopping) : o_(o), svc_(svc), stopping_(stopping) {
    for (std::size_t i = 0; i < o.threads; ++i) threads_.emplace_back([this] { work(); });
    // Ready only once every worker waits: a connection accepted earlier would find none idle.
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return idle_ == threads_.size(); });
  }
  /// false when the queue is full: the caller answers 503.
  bool push(int fd) {
    std::lock_guard lock(mutex_);
    // Idle workers take connections straight away; only those beyond them wait in the queue.
    if (queue_.size() >= o_.queue + idle_) return false;
    queue_.push_back(fd);
    cv_.notify_one();
    return true;
  }
  /// Serves what was queued, then joins the workers.
  void finish() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  bool someone_waiting() {
    std::lock_guard lock(mutex_);
    return !queue_.empty();
  }

 private:
  void work() {
    for (;;) {
      int fd;
      {
        std::unique_lock lock(mutex_);
        ++idle_;
        ready_.notify_one();
        cv_.wait(lock, [&] { return done_ || !queue_.empty(); });
        --idle_;
        if (queue_.empty()) return;
        fd = queue_.front();
        queue_.pop_front();
      }
      serve(fd);
    }
  }

  void serve(int fd) {
    Connection conn(fd, o_.write_timeout_ms);
    std::string ip;
    int port = 0;
    conn.get_remote_ip_and_port(ip, port);
    for (std::size_t n = 0; n < o_.keep_alive_max; ++n) {
      if (!wait_readable(fd, n == 0 ? o_.request_timeout_ms : o_.idle_timeout_ms, n == 0 ? nullptr : &stopping_)) break;
      request_start = Clock::now();
      request_route.clear();
      request_lang.clear();
      request_unreadable = false;
      conn.set_read_deadline(request_start + std::chrono::milliseconds(o_.request_timeout_ms));
      request_connection = &conn;
      // A connection keeps its worker only while nobody waits for one.
      bool last = n + 1 == o_.keep_alive_max || stopping_ || someone_waiting();
      bool closed = false;
      bool ok = svc_.http().handle(conn, last, closed, [&](httplib::Request& req) {
        req.remote_addr = ip;
        req.remote_port = port;
        // Bodies are documents (JSON) or multipart uploads, never forms. cpp-httplib would read a
        // body sent as application/x-www-form-urlencoded (curl -d's and --data-binary's default)
        // into the request's parameters, so that "…&dry_run=true&…" inside a document's text
        // answered a decision without recording it (and as_of=, reviewer=, name= were taken from
        // the applicant's data), and it refuses such a body past 8 KiB as 413, whatever --max-body.
        if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0) {
          req.headers.erase("Content-Type");
          req.headers.emplace("Content-Type", "application/octet-stream");
        }
        // cpp-httplib reads a body only for the methods that carry one: the body of a GET, HEAD or
        // OPTIONS stays on the connection, to be read as the next request (a request hidden there
        // was served, helper-72). Such a request is answered, and the connection then ends.
        static const std::set<std::string> with_body = {"POST", "PUT", "PATCH", "DELETE", "PRI"};
        if (!with_body.count(req.method) &&
            ((req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0") ||
             req.has_header("Transfer-Encoding")))
          request_unreadable = true;
        const bool sized = req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
        // A request with neither has no body (RFC 9112, 6.3): cpp-httplib would read one until the
        // client closed, so `curl -X POST localhost:8080/admin/reload` waited out its time (408).
        if (with_body.count(req.method) && !sized) req.headers.emplace("Content-Length", "0");
      });
      request_connection = nullptr;
      // A client too slow for the deadline gets no second request on this connection; nor does
      // one whose request could not be read whole: the rest of it (the headers after a request line
      // refused, a body left unread) was read as the next request, so a request hidden in the body
      // of one with a method cpp-httplib refuses, or of a GET, was served, behind a proxy that
      // passed it on as one.
      if (!ok || closed || last || conn.timed_out() || request_unreadable) break;
    }
    close_gracefully(fd);
  }

  const ServeOptions& o_;
  Service& svc_;
  const std::atomic<bool>& stopping_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::condition_variable ready_;  ///< a worker became idle (startup waits for all of them)
  std::deque<int> queue_;
  std::size_t idle_ = 0;  ///< workers waiting for a connection
  bool done_ = false;
  std::vector<std::thread> threads_;
};

int listen_on(const std::string& host, int port, int& bound_port, std::string& why) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res); rc != 0) {
    why = std::string("cannot resolve ") + host + ": " + gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* a = res; a; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0) break;
    why = std::string("cannot listen on ") + host + ":" + service + ": " + std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd >= 0) {
    sockaddr_storage sa{};
    socklen_t len = sizeof sa;
    getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    bound_port = sa.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&sa)->sin6_port)
                                          : ntohs(reinterpret_cast<sockaddr_in*>(&sa)->sin_port);
  }
  return fd;
}

// Answered from the accepting thread, without reading the request: every worker is busy.
void reject_overloaded(int fd) {
  static const std::string body =
      R"({"error":{"code":"overloaded","message":"every worker is busy and the queue is full; retry shortly","line":null,"column":null,"path":null}})"
      "\n";
  static const std::string response = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                                      "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
                                      std::to_string(body.size()) + "\r\n\r\n" + body;
  [[maybe_unused]] auto n = ::send(fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

}  // namespace

int run(const ServeOptions& o) {
  // Signals go to one thread that waits for them; every other thread has them blocked.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  auto registry = std::make_shared<PackRegistry>(o.packs, o.load);
  PackSetResult first = registry->reload();
  for (const auto& w : first.warnings) std::cerr << w.to_string("warning");
  for (const auto& e : first.errors) std::cerr << e.to_string();
  if (!first.set) {
    std::cerr << "rulebook serve: the packs in " << o.packs.string() << " did not load\n";
    return 2;
  }
  std::unique_ptr<ledger::Ledger> ledger;
  if (!o.db.empty()) {
    try {
      ledger = ledger::open_ledger(o.db);
    } catch (const ledger::LedgerError& e) {
      std::cerr << "rulebook serve: " << e.what() << "\n";
      return 2;
    }
  }
  std::string ledger_name = ledger ? ledger->describe() : "";
  Service svc(o, std::move(ledger), registry);
  svc.metrics().set_packs(first.set->packs.size());

  int port = 0;
  std::string why;
  int lfd = listen_on(o.host, o.port, port, why);
  if (lfd < 0) {
    std::cerr << "rulebook serve: " << why << "\n";
    return 2;
  }
  std::atomic<bool> stopping{false};
  std::thread signal_thread([&] {
    timespec slice{0, 200'000'000};
    while (!stopping) {
      int sig = sigtimedwait(&signals, nullptr, &slice);
      if (sig == SIGHUP) {
        PackSetResult r = svc.reload();
        if (r.set) {
          std::cerr << "rulebook serve: SIGHUP: reloaded " << r.set->packs.size() << " packs\n";
        } else {
          std::cerr << "rulebook serve: SIGHUP: reload failed; still serving the previous packs\n";
          for (const auto& e : r.errors) std::cerr << e.to_string();
        }
      } else if (sig == SIGINT || sig == SIGTERM) {
        std::cerr << "rulebook serve: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
                  << ": finishing the requests in flight\n";
        stopping = true;
      }
    }
  });

  Pool pool(o, svc, stopping);
  std::cerr << "rulebook serve: " << first.set->packs.size() << " packs from " << o.packs.string() << "; ledger "
            << (ledger_name.empty() ? "off" : ledger_name) << "; " << o.threads << " workers, queue " << o.queue
            << "\n";
  std::cout << "rulebook serve: listening on http://" << (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host)
            << ":" << port << std::endl;
  if (o.on_listening) o.on_listening(port);

  {
    pollfd p{lfd, POLLIN, 0};
    while (!stopping) {
      int rc = ::poll(&p, 1, 200);
      if (rc <= 0) continue;
      int fd = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        // Out of descriptors or the like: back off rather than spin.
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      int yes = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      if (!pool.push(fd)) {
        svc.metrics().rejected();
        reject_overloaded(fd);
      }
    }
    ::close(lfd);
    pool.finish();
  }
  signal_thread.join();
  std::cerr << "rulebook serve: stopped\n";
  return 0;
}

}  // namespace rulebook::serve
