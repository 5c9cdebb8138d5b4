// The playground's routes: thin over draft::try_edit, which does the work the CLI's lint, test
// and diff do. Answers are JSON; the diff comes twice, as the JSON of `diff --format json`
// (embedded byte for byte, so amounts keep their digits) and as the page `diff --format html`.

#include "serve/playground.hpp"

#include <httplib.h>

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "draft/draft.hpp"
#include "serve/api_error.hpp"

namespace rulebook::serve {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// The request's language for messages ("zh" or "en"; English when not given, as the service's other errors).
std::string lang_of(const httplib::Request& req) { return req.has_param("lang") ? req.get_param_value("lang") : "en"; }

void answer(httplib::Response& res, int status, std::string code, std::string message, std::vector<Error> problems = {},
            std::string_view lang = "en", std::string message_zh = {}) {
  ApiError e = api_error(status, std::move(code), std::move(message), std::move(message_zh));
  e.problems = std::move(problems);
  res.status = status;
  res.set_content(e.to_json(lang), "application/json");
}

// A file named by a finding, as the page names it: relative to the pack's folder when inside.
std::string shown_file(const std::string& file, const fs::path& dir) {
  if (file.empty()) return file;
  fs::path rel = fs::path(file).lexically_normal().lexically_relative(dir.lexically_normal());
  return rel.empty() || *rel.begin() == ".." ? file : rel.generic_string();
}

json place(const Error& e, const fs::path& dir) {
  return {{"file", shown_file(e.loc.file, dir)},
          {"line", e.loc.line > 0 ? json(e.loc.line) : json(nullptr)},
          {"col", e.loc.col > 0 ? json(e.loc.col) : json(nullptr)}};
}

json lint_json(const std::vector<Finding>& findings, const fs::path& dir, std::string_view lang) {
  json out = json::array();
  for (const auto& f : findings) {
    json j = {{"level", f.level == Severity::error ? "error" : "warning"}, {"check", f.check}};
    j.update(place(f.where, dir));
    j["message"] = f.where.message_in(lang);
    j["source_line"] = f.where.source_line;
    out.push_back(std::move(j));
  }
  return out;
}

json cases_json(const CaseRun& run, const fs::path& dir, std::string_view lang) {
  json results = json::array();
  std::size_t passed = 0;
  for (const auto& c : run.results) {
    passed += c.passed();
    json j = {{"name", c.name},
              {"rule", c.rule},
              {"passed", c.passed()},
              {"problems", lang == "zh" && c.problems_zh.size() == c.problems.size() ? c.problems_zh : c.problems}};
    Error where;
    where.loc = c.at;
    j.update(place(where, dir));
    if (c.actual) j["outcome"] = to_string(c.actual->outcome);
    results.push_back(std::move(j));
  }
  json errors = json::array();
  for (const auto& e : run.errors) {
    json j = place(e, dir);
    j["message"] = e.message_in(lang);
    errors.push_back(std::move(j));
  }
  return {{"passed", passed}, {"failed", run.results.size() - passed}, {"results", results}, {"errors", errors}};
}

// The body {"path": "ds-01.yaml", "text": "…"} (and "save" when saving); false with the answer set.
struct Edit {
  std::string path, text;
  bool save = false;
};
std::optional<Edit> edit_of(const httplib::Request& req, httplib::Response& res, const std::string& path_from_url) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return answer(res, 400, "malformed_json", "send a JSON object {\"path\": \"x.yaml\", \"text\": \"…\"}"),
           std::nullopt;
  Edit e;
  e.path = path_from_url;
  if (e.path.empty()) {
    if (!body.contains("path") || !body["path"].is_string())
      return answer(res, 400, "bad_parameter", "\"path\" names the rule file edited, e.g. \"pack.yaml\""), std::nullopt;
    e.path = body["path"].get<std::string>();
  }
  if (!body.contains("text") || !body["text"].is_string())
    return answer(res, 400, "bad_parameter", "\"text\" holds the rule file's edited text"), std::nullopt;
  e.text = body["text"].get<std::string>();
  if (body.contains("save")) {
    if (!body["save"].is_boolean()) return answer(res, 400, "bad_parameter", "\"save\" is true or false"), std::nullopt;
    e.save = body["save"].get<bool>();
  }
  if (!draft::is_rule_file_name(e.path))
    return answer(res, 400, "bad_file_name",
                  "'" + e.path + "' is not a rule file name (x.yaml: letters, digits, . _ -)"),
           std::nullopt;
  return e;
}

class Playground {
 public:
  explicit Playground(PlaygroundHost host) : host_(std::move(host)) {}

  // The pack's rule files, and what an edit is compared over.
  void files(const httplib::Request& req, httplib::Response& res) {
    host_.name_route("/packs/{id}/files");
    auto p = served(req, res);
    if (!p) return;
    json files = json::array();
    for (const auto& name : draft::rule_files(p->loaded.dir)) {
      std::error_code ec;
      auto bytes = fs::file_size(p->loaded.dir / name, ec);
      files.push_back({{"name", name}, {"bytes", ec ? 0 : bytes}});
    }
    auto examples = draft::examples_of(p->loaded.dir);
    std::size_t count = 0;
    if (examples) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(*examples, ec)) count += e.path().extension() == ".json";
    }
    const PackInfo& info = p->loaded.pack.info();
    json out = {{"pack", info.id},
                {"version", info.version},
                {"title", {{"zh", info.title.zh}, {"en", info.title.en}}},
                {"hash", p->loaded.hash},
                {"files", files},
                {"examples", examples ? json(count) : json(nullptr)},
                {"as_of", draft::review_day(info).to_string()}};
    res.set_content(dump(out) + "\n", "application/json");
  }

  void file(const httplib::Request& req, httplib::Response& res) {
    host_.name_route("/packs/{id}/files/{name}");
    auto p = served(req, res);
    if (!p) return;
    std::string name = req.matches[2];
    auto names = draft::rule_files(p->loaded.dir);
    if (std::find(names.begin(), names.end(), name) == names.end())
      return answer(res, 404, "unknown_file",
                    "pack '" + std::string(req.matches[1]) + "' has no rule file '" + name + "'");
    std::ifstream in(p->loaded.dir / name, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) return answer(res, 500, "unreadable", "cannot read '" + name + "'");
    res.set_content(dump({{"pack", p->loaded.pack.info().id}, {"name", name}, {"text", text}}) + "\n",
                    "application/json");
  }

  // An edit tried: lint, cases, diff. Writes nothing.
  void try_draft(const httplib::Request& req, httplib::Response& res) {
    host_.name_route("/packs/{id}/draft");
    auto p = served(req, res);
    if (!p) return;
    std::string lang = req.has_param("lang") ? req.get_param_value("lang") : "zh";
    if (lang != "zh" && lang != "en") return answer(res, 400, "bad_lang", "lang expects zh or en, got '" + lang + "'");
    auto edit = edit_of(req, res, "");
    if (!edit) return;
    draft::EditOptions o;
    o.load = host_.options.load;
    o.limits = host_.options.input;
    o.examples = draft::examples_of(p->loaded.dir);
    o.saved = p->loaded.pack;
    o.saved_hash = p->loaded.hash;
    if (req.has_param("as_of")) {
      o.as_of = Date::parse(req.get_param_value("as_of"));
      if (!o.as_of) return answer(res, 400, "bad_as_of", "as_of expects a date YYYY-MM-DD");
    }
    draft::EditResult r = draft::try_edit(p->loaded.dir, edit->path, std::move(edit->text), o);
    const fs::path& dir = p->loaded.dir;
    bool loads = r.cases.has_value();
    json errors = json::array();
    for (const auto& e : r.errors) {
      json j = place(e, dir);
      j["message"] = e.message_in(lang);
      errors.push_back(std::move(j));
    }
    json head = {{"pack", p->loaded.pack.info().id},
                 {"file", edit->path},
                 {"as_of", r.as_of.to_string()},
                 {"loads", loads},
                 {"lint", lint_json(r.lint, dir, lang)},
                 {"cases", r.cases ? cases_json(*r.cases, dir, lang) : json(nullptr)},
                 {"errors", errors}};
    // Assembled as text so that the diff's amounts keep their digits.
    std::string out = dump(head);
    out.pop_back();
    out += ",\"diff\":" + (r.diff ? to_json(*r.diff) : std::string("null"));
    while (out.back() == '\n') out.pop_back();
    out += ",\"diff_html\":" + (r.diff ? dump(json(to_html(*r.diff, lang))) : std::string("null")) + "}\n";
    res.set_content(out, "application/json");
  }

  // Saving: the operator's act, as a reload is — only when asked, only from the machine itself,
  // only an edit that loads; then the service reloads its packs.
  void save(const httplib::Request& req, httplib::Response& res) {
    host_.name_route("/packs/{id}/files/{name}");
    if (!host_.local(req))
      return answer(res, 403, "forbidden",
                    "saving a rule file answers only the machine itself (the loopback interface, not through a proxy)",
                    {}, lang_of(req), "保存规则文件只接受本机（回环接口、不经代理）的请求");
    auto p = served(req, res);
    if (!p) return;
    auto edit = edit_of(req, res, req.matches[2]);
    if (!edit) return;
    if (!edit->save)
      return answer(
          res, 400, "not_saved",
          "nothing was written: send \"save\": true to write the file (POST /packs/{id}/draft tries an edit)");
    const fs::path& dir = p->loaded.dir;
    LoadOptions load = host_.options.load;
    load.overlay[(dir / edit->path).lexically_normal()] = edit->text;
    LoadResult loaded = load_pack(dir, load);
    if (!loaded.pack)
      return answer(res, 409, "draft_does_not_load", "the edited pack does not load; nothing was written",
                    loaded.errors, lang_of(req), "修改后的规则包无法加载；未写入任何内容");
    std::lock_guard lock(save_mutex_);
    // Written beside the file under a name the loader skips, then renamed over it: a reload
    // never reads half a file.
    fs::path target = dir / edit->path, temp = dir / ("." + edit->path + ".saving");
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out << edit->text;
      if (!out.flush()) return answer(res, 500, "not_written", "cannot write '" + temp.string() + "'");
    }
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) {
      fs::remove(temp, ec);
      return answer(res, 500, "not_written", "cannot replace '" + target.string() + "'");
    }
    PackSetResult r = host_.reload();
    json out = {{"saved", true}, {"file", edit->path}, {"reloaded", r.set != nullptr}};
    if (r.set)
      if (auto it = r.set->packs.find(p->loaded.pack.info().id); it != r.set->packs.end()) {
        out["version"] = it->second->loaded.pack.info().version;
        out["hash"] = it->second->loaded.hash;
      }
    if (!r.set) {
      json errs = json::array();
      for (const auto& e : r.errors) errs.push_back(e.to_string());
      out["reload_errors"] = errs;
    }
    res.set_content(dump(out) + "\n", "application/json");
  }

 private:
  std::shared_ptr<const ServedPack> served(const httplib::Request& req, httplib::Response& res) {
    auto set = host_.registry->current();
    auto it = set->packs.find(req.matches[1]);
    if (it != set->packs.end()) return it->second;
    answer(res, 404, "unknown_pack", "no pack '" + std::string(req.matches[1]) + "'");
    return nullptr;
  }

  PlaygroundHost host_;
  std::mutex save_mutex_;  ///< one save (write and reload) at a time
};

}  // namespace

void add_playground_routes(httplib::Server& http, PlaygroundHost host) {
  auto pg = std::make_shared<Playground>(std::move(host));
  http.Get(R"(/packs/([^/]+)/files)",
           [pg](const httplib::Request& req, httplib::Response& res) { pg->files(req, res); });
  http.Get(R"(/packs/([^/]+)/files/([^/]+))",
           [pg](const httplib::Request& req, httplib::Response& res) { pg->file(req, res); });
  http.Post(R"(/packs/([^/]+)/files/([^/]+))",
            [pg](const httplib::Request& req, httplib::Response& res) { pg->save(req, res); });
  http.Post(R"(/packs/([^/]+)/draft)",
            [pg](const httplib::Request& req, httplib::Response& res) { pg->try_draft(req, res); });
}

}  // namespace rulebook::serve
