// Reads a pack folder with libfyaml (pack/yaml.hpp), checking its structure and keeping the position of
// everything, so that every problem is reported as file:line:col in one pass.

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "pack/pack.hpp"
#include "value/utf8.hpp"
#include "yaml/yaml.hpp"

namespace rulebook::pack {
namespace {
namespace fs = std::filesystem;

// Where published packs stand, each folder holding rules/ and schemas/: the folders of the
// caller's search path (LoadOptions::search_path), of RULEBOOK_PATH (separated by ':'; an
// install's share/rulebook), then RULEBOOK_HOME, else the working folder. A pack copied elsewhere (a draft folder, an integrator's tree) resolves what it
// cannot find beside it as if it stood in rules/ there, so it still finds its schemas and common.
std::vector<fs::path> homes(const SearchPath& search) {
  std::vector<fs::path> out(search);
  if (const char* path = std::getenv("RULEBOOK_PATH"); path && *path)
    for (std::string_view rest = path; !rest.empty();) {
      auto colon = rest.find(':');
      if (auto one = rest.substr(0, colon); !one.empty()) out.emplace_back(one);
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    }
  if (const char* h = std::getenv("RULEBOOK_HOME"); h && *h) {
    out.emplace_back(h);
    return out;
  }
  std::error_code ec;
  auto cwd = fs::current_path(ec);
  if (!ec && fs::is_directory(cwd / "rules", ec)) out.push_back(cwd);
  return out;
}

}  // namespace

std::optional<fs::path> beside_pack(const fs::path& dir, const std::string& relative, const SearchPath& search) {
  std::error_code ec;
  if (auto p = dir / relative; fs::is_regular_file(p, ec)) return p;
  for (const auto& h : homes(search))
    if (auto p = (h / "rules" / dir.filename() / relative).lexically_normal(); fs::is_regular_file(p, ec)) return p;
  return std::nullopt;
}

std::optional<fs::path> imported_dir(const fs::path& dir, const std::string& name, const SearchPath& search) {
  std::error_code ec;
  if (auto p = dir.parent_path() / name; fs::is_regular_file(p / "pack.yaml", ec)) return p;
  for (const auto& h : homes(search))
    if (auto p = h / "rules" / name; fs::is_regular_file(p / "pack.yaml", ec)) return p;
  return std::nullopt;
}

namespace {

// fs::weakly_canonical, each folder resolved once in a reading of a pack: libstdc++ resolves a
// path one component at a time (a readlink each), and every file a pack names is checked
// against the same roots (99 readlinks for `check` of dongsheng-2024, 8 now). A name that exists
// and is no symbolic link resolves as its folder does, the name appended.
class RealPaths {
 public:
  fs::path of(const fs::path& p, std::error_code& ec) {
    auto [at, fresh] = known_.try_emplace(p);
    if (fresh) at->second = resolve(p);
    ec = at->second.second;
    return at->second.first;
  }

 private:
  std::pair<fs::path, std::error_code> resolve(const fs::path& p) {
    std::error_code ec;
    auto leaf = p.filename();
    if (p.has_parent_path() && !leaf.empty() && leaf != "." && leaf != "..") {
      auto type = fs::symlink_status(p, ec).type();
      if (!ec && (type == fs::file_type::regular || type == fs::file_type::directory)) {
        // INVARIANT: p exists and is no link, so its folder exists: canonical(p) is canonical(folder) / leaf.
        auto folder = of(p.parent_path(), ec);
        if (!ec) return {folder / leaf, ec};
      }
    }
    auto real = fs::weakly_canonical(p, ec);
    return {std::move(real), ec};
  }
  std::map<fs::path, std::pair<fs::path, std::error_code>> known_;
};

// The rules root of a pack: the folder holding the pack folders (rules/, where common stands),
// that is its own folder's parent, or a home's rules/ for what it finds there. A pack reads only
// inside its rules root, every symbolic link followed: its rule files, its plan's text, its
// reference data, the packs it imports; its subject schema may also come from the schemas/
// folder beside the root. The pack folder given is trusted as it is; what it names is not.
fs::path rules_root(const fs::path& dir, RealPaths& real_paths) {
  std::error_code ec;
  auto real = real_paths.of(dir, ec);
  return (ec ? fs::absolute(dir, ec) : real).parent_path();
}

std::vector<fs::path> rules_roots(const fs::path& dir, bool with_schemas, const SearchPath& search,
                                  RealPaths& real_paths) {
  std::vector<fs::path> roots{rules_root(dir, real_paths)};
  for (const auto& h : homes(search)) roots.push_back(h / "rules");
  if (with_schemas)
    for (std::size_t i = 0, n = roots.size(); i < n; ++i) roots.push_back(roots[i].parent_path() / "schemas");
  return roots;
}

// Whether `p`, every link followed, lies inside `root` (also resolved).
bool inside(const fs::path& p, const fs::path& root, RealPaths& real_paths) {
  std::error_code ec;
  auto real = real_paths.of(p, ec);
  if (ec) return false;
  auto real_root = real_paths.of(root, ec);
  if (ec) return false;
  auto rel = real.lexically_relative(real_root);
  return !rel.empty() && *rel.begin() != "..";
}

// Why a pack may not read `p`, which it names as `written` (nullopt: it may). Checked before the
// file is opened: what an error then quotes is never the content of a file outside.
std::optional<std::string> refusal(const fs::path& p, const std::string& written, const std::vector<fs::path>& roots,
                                   RealPaths& real_paths) {
  std::error_code ec;
  auto type = fs::status(p, ec).type();
  if (!ec && type != fs::file_type::regular && type != fs::file_type::directory && type != fs::file_type::not_found)
    return p.lexically_normal().string() + " is not a regular file (a FIFO, a device or a socket)";
  if (fs::path(written).is_absolute())
    return written + " is an absolute path; a pack names its files relative to its folder, inside the rules root " +
           roots.front().string();
  if (std::none_of(roots.begin(), roots.end(), [&](const fs::path& r) { return inside(p, r, real_paths); }))
    return p.lexically_normal().string() +
           (fs::is_symlink(p, ec) ? " is a symbolic link out of the rules root " : " is outside the rules root ") +
           roots.front().string();
  return std::nullopt;
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

// One YAML file being read; structural errors are collected, never thrown.
class FileReader {
 public:
  FileReader(std::shared_ptr<const expr::SourceFile> file, std::vector<Error>& errors, std::vector<Error>& warnings,
             RealPaths& real_paths)
      : file_(std::move(file)), errors_(errors), warnings_(warnings), real_paths_(real_paths) {}

  SourceLoc loc(const yaml::Node& n) const { return file_->locate(mark(n)); }

  // Each message in English and Chinese (a drafter reads the playground in either). The first
  // `most_said` of each kind, then one saying more were found: a file of 100,000 aliased
  // mistakes must not make 100,000 errors, each with its source line.
  void error(const yaml::Node& n, std::string message, std::string zh) {
    if (!say(n, errors_, errors_said_, "errors", "错误")) return;
    errors_.push_back(make(n, std::move(message)));
    errors_.back().message_zh = std::move(zh);
  }
  // "a condition" → "条件": what a mapping or expression stands for, in Chinese ('keys' stay as written).
  static std::string what_zh(std::string_view what) {
    // clang-format off
    static const std::pair<std::string_view, std::string_view> words[] = {
        {"a condition", "条件"},           {"a rule", "规则"},
        {"an output", "输出项"},           {"a param", "参数"},
        {"a dated value", "带日期的取值"}, {"a value", "取值"},
        {"a definition", "定义（def）"},   {"a rule file", "规则文件"},
        {"a label", "标签"}};
    // clang-format on
    for (const auto& [en, zh] : words)
      if (what == en) return std::string(zh);
    if (auto paren = what.find(" ("); paren != std::string_view::npos) return std::string(what.substr(0, paren));
    return std::string(what);
  }
  void warning(const yaml::Node& n, std::string message, std::string zh, std::string check) {
    if (!say(n, warnings_, warnings_said_, "warnings", "警告")) return;
    Error w = make(n, std::move(message));
    w.message_zh = std::move(zh);
    w.check = std::move(check);
    warnings_.push_back(std::move(w));
  }

  // A mapping whose keys are scalars, each once (the YAML tree keeps every pair of a duplicate
  // key, where a reader would silently keep one of them, which would change an answer).
  bool free_mapping(const yaml::Node& n, std::string_view what) {
    if (!n.is_map()) {
      error(n, "expected " + std::string(what) + " (a mapping)", what_zh(what) + " 应为映射（键: 值）");
      return false;
    }
    std::set<std::string> seen;
    for (const auto& kv : n.pairs()) {
      if (!kv.key.is_scalar())
        error(kv.key, "expected a name as key in " + std::string(what), what_zh(what) + " 中的键应为名称");
      else if (!seen.insert(kv.key.text()).second)
        error(kv.key, "duplicate key '" + kv.key.text() + "' in " + std::string(what),
              what_zh(what) + " 中的键「" + kv.key.text() + "」重复");
    }
    return true;
  }

  // A mapping with only `allowed` keys, each once; `required` ones present.
  bool mapping(const yaml::Node& n, std::string_view what, std::initializer_list<std::string_view> allowed,
               std::initializer_list<std::string_view> required = {}) {
    if (!free_mapping(n, what)) return false;
    std::set<std::string> seen;
    for (const auto& kv : n.pairs()) {
      auto key = kv.key.text();
      seen.insert(key);
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        error(kv.key, "unknown key '" + key + "' in " + std::string(what) + "; expected one of: " + list,
              what_zh(what) + " 中有未知的键「" + key + "」；可用的键：" + list);
      }
    }
    for (auto r : required)
      if (!seen.count(std::string(r)))
        error(n, std::string(what) + " needs '" + std::string(r) + "'",
              what_zh(what) + " 缺少「" + std::string(r) + "」");
    return true;
  }

  std::string scalar(const yaml::Node& parent, const char* key, bool required = false) {
    yaml::Node n = parent[key];
    if (!n) return {};
    if (!n.is_scalar()) {
      error(n, std::string("expected text for '") + key + "'", std::string("「") + key + "」应为文本");
      return {};
    }
    if (required && n.text().empty())
      error(n, std::string("'") + key + "' must not be empty", std::string("「") + key + "」不能为空");
    return n.text();
  }

  Text text(const yaml::Node& parent, const char* key) { return text_of(parent[key], key); }
  // `n` named `what` in messages: a text, or {zh, en}.
  Text text_of(const yaml::Node& n, const char* what) {
    if (!n) return {};
    if (n.is_scalar()) return {unfold_chinese(n.text()), {}};
    if (!mapping(n, what, {"zh", "en"})) return {};
    return {unfold_chinese(scalar(n, "zh")), scalar(n, "en")};
  }

  // An output's label of the value `key`: a text, or {zh, en, unit}.
  Label label(const yaml::Node& key, const yaml::Node& n) {
    if (!n || n.is_scalar()) return {text_of(n, key.text().c_str()), {}};
    if (!mapping(n, "a label", {"zh", "en", "unit"})) return {};
    return {{unfold_chinese(scalar(n, "zh")), scalar(n, "en")}, scalar(n, "unit")};
  }

  // A folded YAML scalar (>-) joins its lines with a space, which Chinese text does not have.
  static std::string unfold_chinese(const std::string& s) {
    auto wide = [](std::string_view at) {
      auto cp = decode_utf8(at);
      return cp && cp->value >= 0x2E80 && cp->value <= 0xFFEF;  // CJK, full-width punctuation
    };
    auto wide_before = [&](std::size_t i) {  // the character ending just before byte i
      std::size_t k = i;
      while (k > 0 && (static_cast<unsigned char>(s[k - 1]) & 0xC0) == 0x80) --k;
      return k > 0 && wide(std::string_view(s).substr(k - 1));
    };
    auto punctuation_before = [&](std::size_t i) {  // full-width punctuation: 。，；：）」
      if (i < 3) return false;
      auto cp = decode_utf8(std::string_view(s).substr(i - 3));
      return cp && cp->length == 3 && ((cp->value >= 0x3000 && cp->value <= 0x303F) || cp->value >= 0xFF00);
    };
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      bool join = s[i] == ' ' && i > 0 &&
                  ((wide_before(i) && wide(std::string_view(s).substr(i + 1))) || punctuation_before(i));
      if (!join) out += s[i];
    }
    return out;
  }

  std::optional<expr::Source> expression(const yaml::Node& n, std::string_view what) {
    if (!n || n.is_null()) return std::nullopt;
    if (!n.is_scalar()) {
      error(n, "expected " + std::string(what) + " (an expression)", what_zh(what) + " 应为表达式");
      return std::nullopt;
    }
    return expr::Source{n.text(), expr::SourceMap(file_, mark(n), n.text())};
  }

  std::optional<Date> date(const yaml::Node& parent, const char* key) {
    yaml::Node n = parent[key];
    if (!n) return std::nullopt;
    auto d = n.is_scalar() ? Date::parse(n.text()) : std::nullopt;
    if (!d)
      error(n, std::string("expected a date YYYY-MM-DD for '") + key + "'",
            std::string("「") + key + "」应为日期（YYYY-MM-DD）");
    return d;
  }

  // Nullopt for one that is not a mapping (reported here, not again as a nameless condition).
  std::optional<Condition> condition(const yaml::Node& n) {
    Condition c;
    c.loc = loc(n);
    if (!mapping(n, "a condition", {"name", "require", "message"}, {"name", "require"})) return std::nullopt;
    c.name = scalar(n, "name", true);
    if (auto e = expression(n["require"], "'require'")) c.require = *e;
    c.message = text(n, "message");
    if (c.message.zh.empty() && c.message.en.empty())
      warning(n, "condition '" + c.name + "' has no message", "条件「" + c.name + "」没有给评审人员的说明（message）",
              "condition-without-message");
    return c;
  }

  std::vector<Condition> conditions(const yaml::Node& n) {
    std::vector<Condition> out;
    if (!n) return out;
    if (!n.is_sequence()) {
      error(n, "expected a list of conditions", "应为条件列表");
      return out;
    }
    for (const auto& c : n.elements())
      if (auto made = condition(c)) out.push_back(std::move(*made));
    return out;
  }

  Rule rule(const yaml::Node& n) {
    Rule r;
    r.loc = loc(n);
    if (!mapping(n, "a rule",
                 {"id", "title", "clause", "quote", "severity", "applies", "conditions", "each", "outputs", "note",
                  "justification", "param_date", "dated", "answer"},
                 {"id", "title", "clause", "quote"}))
      return r;
    r.id = scalar(n, "id", true);
    r.title = text(n, "title");
    r.clause = scalar(n, "clause", true);
    r.quote = scalar(n, "quote", true);
    // A plain note is English (the packs' first notes were); {zh, en} gives both.
    if (auto note = n["note"]; note && note.is_scalar())
      r.note = {{}, note.text()};
    else
      r.note = text(n, "note");
    if (auto s = n["severity"]) {
      std::string v = s.is_scalar() ? s.text() : "";
      if (v == "error")
        r.severity = Severity::error;
      else if (v == "warning")
        r.severity = Severity::warning;
      else if (v == "info")
        r.severity = Severity::info;
      else
        error(s, "severity must be error, warning or info", "severity 应为 error、warning 或 info");
    }
    r.applies = expression(n["applies"], "'applies'");
    r.param_date = expression(n["param_date"], "'param_date'");
    r.justification = expression(n["justification"], "'justification'");
    r.dated = expression(n["dated"], "'dated'");
    if (auto a = n["answer"]) {
      r.answer_loc = loc(a);
      if (!a.is_sequence())
        error(a, "'answer' is a list of the rule's output names", "「answer」应为该规则输出项名称的列表");
      else
        for (const auto& name : a.elements())
          if (name.is_scalar())
            r.answer.push_back(name.text());
          else
            error(name, "expected an output name", "应为输出项名称");
    }
    if (r.justification && r.severity == Severity::error)
      error(n["justification"], "only a rule of severity warning or info can be cleared by a justification",
            "只有 severity 为 warning 或 info 的规则才能以说明理由（justification）解除");
    r.conditions = conditions(n["conditions"]);
    if (auto e = n["each"]) {
      Each each;
      each.loc = loc(e);
      if (mapping(e, "'each'", {"in", "as", "key", "name", "require", "dated", "conditions"},
                  {"in", "as", "name", "conditions"})) {
        if (auto q = e["require"]) {
          if (q.is_scalar() && (q.text() == "all" || q.text() == "any"))
            each.all = q.text() == "all";
          else
            error(q, "'require' of 'each' is all (every element must comply) or any (at least one)",
                  "「each」的「require」应为 all（每一项都须符合）或 any（至少一项符合）");
        }
        if (auto x = expression(e["in"], "'in'")) each.in = *x;
        each.as = scalar(e, "as", true);
        each.key = expression(e["key"], "'key'");
        each.dated = expression(e["dated"], "'dated'");
        each.name = scalar(e, "name", true);
        each.conditions = conditions(e["conditions"]);
      }
      r.each = std::move(each);
    }
    // `name: expr`, or `name: {value: expr, title: {zh, en}, unit: yuan, labels: {value: {zh, en}}}`
    // for what reports show; a label may give its row's unit (`{zh, en, unit: yuan}`).
    if (auto o = n["outputs"]; o && free_mapping(o, "'outputs'"))
      for (const auto& kv : o.pairs()) {
        if (kv.value.is_map()) {
          if (!mapping(kv.value, "an output", {"value", "title", "unit", "labels"}, {"value"})) continue;
          std::map<std::string, pack::Label> labels;
          if (auto ls = kv.value["labels"]; ls && free_mapping(ls, "'labels' (a mapping from a value to its words)"))
            for (const auto& l : ls.pairs())  // a value named twice keeps its first words, as a key does
              if (auto [at, fresh] = labels.try_emplace(l.key.text()); fresh) at->second = label(l.key, l.value);
          if (auto x = expression(kv.value["value"], "an output"))
            r.outputs.push_back(
                {kv.key.text(), *x, text(kv.value, "title"), scalar(kv.value, "unit"), std::move(labels)});
        } else if (auto x = expression(kv.value, "an output")) {
          r.outputs.push_back({kv.key.text(), *x, {}, {}, {}});
        }
      }
    return r;
  }

  Param param(const yaml::Node& key, const yaml::Node& n) {
    Param p;
    p.name = key.text();
    p.loc = loc(key);
    if (!mapping(n, "a param", {"value", "values", "unit", "clause", "title", "note"})) return p;
    p.value = expression(n["value"], "'value'");
    // values: {2024-01-01: 50万, 2025-07-01: {value: 80万, clause: …}}: a plan amended mid-period.
    if (auto vs = n["values"]) {
      if (p.value)
        error(vs, "a param has either 'value' or 'values' (by date), not both",
              "参数只能有「value」或「values」（按日期）之一，不能同时有");
      if (free_mapping(vs, "'values' (a mapping from the day each value takes effect to the value)")) {
        for (const auto& kv : vs.pairs()) {
          auto day = Date::parse(kv.key.text());
          if (!day) {
            error(kv.key, "expected the day the value takes effect, YYYY-MM-DD", "应为该取值的生效日期（YYYY-MM-DD）");
            continue;
          }
          DatedValue d;
          d.loc = loc(kv.key);
          if (kv.value.is_map()) {
            if (!mapping(kv.value, "a dated value", {"value", "clause"}, {"value"})) continue;
            if (auto e = expression(kv.value["value"], "'value'")) d.value = *e;
            d.clause = scalar(kv.value, "clause");
          } else if (auto e = expression(kv.value, "a value")) {
            d.value = *e;
          }
          p.dated.emplace_back(*day, std::move(d));
        }
        std::sort(p.dated.begin(), p.dated.end(), [](auto& a, auto& b) { return a.first < b.first; });
        if (p.dated.empty())
          error(vs, "'values' needs at least one day and value", "「values」至少需要一个日期及其取值");
      }
    }
    p.unit = scalar(n, "unit");
    p.clause = scalar(n, "clause");
    p.title = text(n, "title");
    if (p.clause.empty())
      warning(key, "param '" + p.name + "' has no clause: say where the plan states it",
              "参数「" + p.name + "」没有注明条款：请写明方案中规定它的条款", "param-without-clause");
    return p;
  }

  // `name: expr` or `name(a, b): expr`.
  Def def(const yaml::Node& key, const yaml::Node& n) {
    Def d;
    d.loc = loc(key);
    std::string k = key.text();
    auto open = k.find('(');
    d.name = k.substr(0, open);
    if (open != std::string::npos) {
      if (k.back() != ')') error(key, "expected 'name(param, ...)'", "应为「名称(参数, ...)」");
      std::string inner = k.substr(open + 1, k.size() - open - 2);
      std::stringstream ss(inner);
      for (std::string p; std::getline(ss, p, ',');) {
        p.erase(0, p.find_first_not_of(' '));
        p.erase(p.find_last_not_of(' ') + 1);
        if (p.empty()) error(key, "empty parameter name in '" + k + "'", "「" + k + "」中有空的参数名");
        d.params.push_back(p);
      }
    }
    while (!d.name.empty() && d.name.back() == ' ') d.name.pop_back();
    if (auto x = expression(n, "a definition")) d.body = *x;
    return d;
  }

  // The parts that both pack.yaml and rule files may hold.
  void body(const yaml::Node& root, Pack& pack) {
    if (auto p = root["params"]; p && free_mapping(p, "'params'"))
      for (const auto& kv : p.pairs()) pack.params.push_back(param(kv.key, kv.value));
    if (auto d = root["defs"]; d && free_mapping(d, "'defs'"))
      for (const auto& kv : d.pairs()) pack.defs.push_back(def(kv.key, kv.value));
    if (auto rs = root["rules"]) {
      if (!rs.is_sequence())
        error(rs, "expected a list of rules", "应为规则列表");
      else
        for (const auto& r : rs.elements()) pack.rules.push_back(rule(r));
    }
  }

  // A file the pack names (the plan's text, the calendar, the divisions, the subject schema),
  // found and then kept inside the rules root.
  std::optional<fs::path> data_file(const yaml::Node& n, const Pack& pack, const std::string& what,
                                    bool schema = false) {
    auto p = n.is_scalar() ? beside_pack(pack.dir, n.text(), pack.search) : std::nullopt;
    if (auto why = refusal(p ? *p : pack.dir / (n.is_scalar() ? n.text() : ""), n.is_scalar() ? n.text() : "",
                           rules_roots(pack.dir, schema, pack.search, real_paths_), real_paths_)) {
      error(n, "refused: " + what + " " + *why, "拒绝读取：" + what + " " + *why);
      return std::nullopt;
    }
    if (!p) {
      // Say what is there instead of "cannot find" it: a folder (a device was refused above).
      fs::path named = pack.dir / (n.is_scalar() ? n.text() : "");
      std::error_code ec;
      bool folder = fs::is_directory(named, ec);
      error(n,
            folder ? what + " " + named.string() + " is a folder, not a file"
                   : "cannot find " + what + " " + named.string(),
            folder ? named.string() + " 是文件夹，不是文件" : "找不到文件 " + named.string());
    }
    return p;
  }

  void header(const yaml::Node& root, Pack& pack) {
    PackInfo& info = pack.info;
    info.id = scalar(root, "id", true);
    info.version = scalar(root, "version", true);
    info.title = text(root, "title");
    info.issuer = scalar(root, "issuer");
    info.jurisdiction = scalar(root, "jurisdiction");
    if (auto s = root["source"]; s && mapping(s, "'source'", {"document", "seed", "text"}, {"document", "text"})) {
      info.document = scalar(s, "document");
      info.seed = scalar(s, "seed");
      if (auto t = s["text"]; t && t.is_scalar()) {
        auto text_file = data_file(t, pack, "the plan's text");
        if (auto read = text_file ? read_file(*text_file) : std::nullopt)
          pack.source_text = std::move(*read);
        else if (text_file)
          error(t, "cannot read the plan's text " + text_file->string(), "无法读取方案原文 " + text_file->string());
      }
    }
    if (auto e = root["effective"]; e && mapping(e, "'effective'", {"from", "to"}, {"from", "to"})) {
      auto from = date(e, "from"), to = date(e, "to");
      if (from && to && *to < *from)
        error(e, "the effective period ends before it starts", "有效期的结束日期早于开始日期");
      if (from) info.effective_from = *from;
      if (to) info.effective_to = *to;
    }
    if (auto c = root["calendar"]) pack.calendar = data_file(c, pack, "the calendar"), pack.names_calendar = true;
    if (auto c = root["divisions"])
      pack.divisions = data_file(c, pack, "the administrative divisions"), pack.names_divisions = true;
    if (auto im = root["imports"]) {
      if (!im.is_sequence())
        error(im, "expected a list of pack names to import", "应为要导入的规则包名称列表");
      else
        for (const auto& name : im.elements()) {
          // A pack name, not a path: the imported folder stands in a rules root, as this one does.
          std::error_code ec;
          if (fs::path written(name.is_scalar() ? name.text() : "");
              written.has_parent_path() || written.is_absolute() || written == "." || written == "..")
            error(name, "refused: import '" + written.string() + "' is a path; a pack imports another by its name",
                  "拒绝导入：「" + written.string() + "」是路径；导入其他规则包应写其名称");
          else if (auto found = imported_dir(pack.dir, written.string(), pack.search);
                   found && !inside(*found, found->parent_path(), real_paths_))
            error(name,
                  "refused: the imported pack " + found->string() + " is a symbolic link out of the rules root " +
                      fs::weakly_canonical(found->parent_path(), ec).string(),
                  "拒绝导入：规则包 " + found->string() + " 是指向规则目录之外的符号链接");
          else if (!name.is_scalar() || !found)
            error(name,
                  "no pack '" + (name.is_scalar() ? name.text() : "") + "' beside this one (or under rules/) to import",
                  "找不到要导入的规则包「" + (name.is_scalar() ? name.text() : "") +
                      "」（应与本规则包同级或位于 rules/ 下）");
          else
            pack.imports.push_back(name.text());
        }
    }
    if (auto s = root["subject"])
      if (auto p = data_file(s, pack, "the subject schema", true)) pack.subject_schema = *p;
  }

 private:
  static std::size_t mark(const yaml::Node& n) { return n.mark().offset; }

  static constexpr std::size_t most_said = 100;
  // Whether the next of `to` (errors or warnings, `said` so far) is said; the one past
  // `most_said` says instead that more were found.
  bool say(const yaml::Node& n, std::vector<Error>& to, std::size_t& said, std::string_view what,
           std::string_view what_zh) {
    if (++said <= most_said) return true;
    if (said == most_said + 1) {
      const std::string most = std::to_string(most_said);
      Error e =
          make(n, "more than " + most + " " + std::string(what) + " in this file; the first " + most + " are listed");
      e.message_zh = "本文件" + std::string(what_zh) + "超过 " + most + " 处，仅列出前 " + most + " 处";
      to.push_back(std::move(e));
    }
    return false;
  }

  Error make(const yaml::Node& n, std::string message) {
    Error e;
    e.code = Error::Code::yaml;
    e.message = std::move(message);
    e.loc = loc(n);
    e.source_line = std::string(file_->line(e.loc.line));
    return e;
  }

  std::shared_ptr<const expr::SourceFile> file_;
  std::vector<Error>& errors_;
  std::vector<Error>& warnings_;
  RealPaths& real_paths_;
  std::size_t errors_said_ = 0, warnings_said_ = 0;
};

// Parses one file, its text already found well-formed UTF-8; a YAML syntax error becomes an
// Error at its line and column.
std::optional<yaml::Document> parse_yaml(const std::shared_ptr<const expr::SourceFile>& file,
                                         std::vector<Error>& errors) {
  auto parsed = yaml::parse(file->text, yaml::Known::valid_utf8);
  if (!parsed.error) return std::move(parsed.document);
  const std::string& msg = parsed.error->message;
  Error err;
  err.code = Error::Code::yaml;
  err.say("YAML: " + msg, "YAML 语法错误（" + msg + "）");
  err.loc = file->locate(parsed.error->mark.offset);
  err.source_line = std::string(file->line(err.loc.line));
  errors.push_back(std::move(err));
  return std::nullopt;
}

}  // namespace

namespace {
// One pack folder, without its imports.
ReadResult parse_files(const fs::path& dir, std::vector<RuleFile> files, const SearchPath& search,
                       RealPaths& real_paths);

ReadResult read_one(const fs::path& dir, const FileOverlay& overlay, const SearchPath& search, RealPaths& real_paths) {
  ReadResult result;
  auto io_error = [&](const fs::path& p, std::string message, std::string zh) {
    Error e;
    e.code = Error::Code::io;
    e.say(std::move(message), std::move(zh));
    e.loc.file = p.string();
    result.errors.push_back(std::move(e));
  };
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    io_error(dir, "no rule pack here: not a folder", "此处没有规则包：不是文件夹");
    return result;
  }
  std::vector<fs::path> paths;
  auto rule_file = [](const fs::path& p) { return p.extension() == ".yaml" && p.filename() != "pack.yaml"; };
  const std::vector<fs::path> roots{rules_root(dir, real_paths)};
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (rule_file(entry.path()) && !entry.is_directory(ec)) paths.push_back(entry.path());
  for (const auto& drafted : overlay) {  // a rule file drafted in memory, not yet on disk
    const fs::path& path = drafted.first;  // not a structured binding: clang 14 cannot capture one
    if (rule_file(path) && (dir / path.filename()).lexically_normal() == path &&
        std::none_of(paths.begin(), paths.end(), [&](const fs::path& p) { return p.lexically_normal() == path.lexically_normal(); }))
      paths.push_back(dir / path.filename());
  }
  std::sort(paths.begin(), paths.end());
  paths.insert(paths.begin(), dir / "pack.yaml");
  std::vector<RuleFile> files;
  for (const auto& path : paths) {
    auto drafted = overlay.find(path.lexically_normal());
    if (auto why =
            drafted == overlay.end() ? refusal(path, path.filename().string(), roots, real_paths) : std::nullopt) {
      io_error(path, "refused: the rule file " + *why, "拒绝读取规则文件：" + *why);
      continue;
    }
    auto text = drafted != overlay.end() ? std::optional<std::string>(drafted->second) : read_file(path);
    if (!text) {
      bool head = path.filename() == "pack.yaml";
      io_error(path, head ? "no rule pack here: cannot read pack.yaml" : "cannot read file",
               head ? "此处没有规则包：无法读取 pack.yaml" : "无法读取该文件");
      continue;
    }
    files.push_back({path, std::move(*text)});
  }
  if (!result.errors.empty()) return result;
  return parse_files(dir, std::move(files), search, real_paths);
}
}  // namespace

ReadResult read_pack(const fs::path& dir, const FileOverlay& overlay, const SearchPath& search) {
  RealPaths real_paths;  // one reading: the folders are resolved once
  ReadResult result = read_one(dir, overlay, search, real_paths);
  // Imports lend their params, defs and reference data; their rules stay theirs. One level deep.
  if (result.pack)
    for (const auto& name : result.pack->imports) {
      auto imported =
          read_one(*imported_dir(dir, name, search), overlay, search, real_paths);  // INVARIANT: the header found it
      result.errors.insert(result.errors.end(), imported.errors.begin(), imported.errors.end());
      result.warnings.insert(result.warnings.end(), imported.warnings.begin(), imported.warnings.end());
      if (!imported.pack) continue;
      auto& p = *result.pack;
      p.params.insert(p.params.end(), imported.pack->params.begin(), imported.pack->params.end());
      p.defs.insert(p.defs.end(), imported.pack->defs.begin(), imported.pack->defs.end());
      if (!p.calendar) p.calendar = imported.pack->calendar;
      if (!p.divisions) p.divisions = imported.pack->divisions;
    }
  return result;
}

ReadResult parse_pack(const fs::path& dir, std::vector<RuleFile> files, const SearchPath& search) {
  RealPaths real_paths;
  return parse_files(dir, std::move(files), search, real_paths);
}

namespace {
ReadResult parse_files(const fs::path& dir, std::vector<RuleFile> files, const SearchPath& search,
                       RealPaths& real_paths) {
  ReadResult result;
  Pack pack;
  pack.dir = dir;
  pack.search = search;
  for (auto& [path, text] : files) {
    auto file = std::make_shared<const expr::SourceFile>(path.string(), std::move(text));
    if (auto bad = invalid_utf8(file->text)) {
      Error e;
      e.code = Error::Code::yaml;
      e.say("invalid UTF-8", "不是有效的 UTF-8 编码");
      e.loc = file->locate(*bad);
      result.errors.push_back(std::move(e));
      continue;
    }
    auto document = parse_yaml(file, result.errors);
    if (!document) continue;
    const yaml::Node root = document->root();
    FileReader reader(file, result.errors, result.warnings, real_paths);
    if (path.filename() == "pack.yaml") {
      if (!reader.mapping(root, "pack.yaml",
                          {"id", "version", "title", "source", "issuer", "jurisdiction", "effective", "subject",
                           "calendar", "divisions", "imports", "params", "defs", "rules"},
                          {"id", "version", "title", "source", "effective"}))
        continue;
      reader.header(root, pack);
    } else if (!reader.mapping(root, "a rule file", {"params", "defs", "rules"})) {
      continue;
    }
    reader.body(root, pack);
  }
  for (auto& r : pack.rules) {
    pack.info.rule_ids.push_back(r.id);
    auto& names = pack.info.rule_outputs.emplace_back();
    for (auto& o : r.outputs) names.push_back(o.name);
  }
  result.pack = std::move(pack);
  return result;
}

}  // namespace

}  // namespace rulebook::pack
