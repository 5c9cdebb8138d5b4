// Reads case files (YAML) and compares decisions with what they expect.

#include "rulebook/cases.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <regex>
#include <span>
#include <sstream>

#include "batch/fast_reader.hpp"
#include "compile/pack_access.hpp"
#include "expr/source.hpp"
#include "pack/pack.hpp"
#include "pack/yaml_json.hpp"
#include "value/spelling.hpp"
#include "yaml/yaml.hpp"

namespace rulebook {
namespace fs = std::filesystem;
namespace {

std::optional<Value> value_of(const yaml::Node& n, const std::string& name, std::vector<Error>& errors) {
  std::string text;
  try {
    text = pack::yaml_to_json(n);
  } catch (const pack::YamlTooLarge& e) {
    Error err;
    err.code = Error::Code::yaml;
    err.message = e.what();
    err.loc = {name, n.mark().line + 1, n.mark().column + 1};
    errors.push_back(std::move(err));
    return std::nullopt;
  }
  auto doc = Document::parse("{\"v\":" + text + "}", name);
  if (!doc.document) {
    errors.insert(errors.end(), doc.errors.begin(), doc.errors.end());
    return std::nullopt;
  }
  return *doc.document->root().as_object().find("v");
}

std::string show(const Value& v) { return v.is_unknown() ? "unknown" : v.to_display(); }

// An expected null matches an unknown output (nothing could be computed). An expected
// `2024-01-01`, read as a date, matches a text of those characters too: an output the schema
// types as text.
bool same(const Value& want, const Value& got) {
  if (want.kind() == Kind::null) return got.is_unknown() || got.kind() == Kind::null;
  if (want.kind() == Kind::date && got.kind() == Kind::string) return got.as_string() == want.as_date().to_string();
  if (want.kind() == Kind::list && got.kind() == Kind::list) {
    const auto& a = want.as_list().items;
    const auto& b = got.as_list().items;
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  if (want.kind() == Kind::object && got.kind() == Kind::object) {
    const auto& a = want.as_object().members;
    const auto& b = got.as_object();
    if (a.size() != b.members.size()) return false;
    for (const auto& [name, v] : a)
      if (const Value* w = b.find(name); !w || !same(v, *w)) return false;
    return true;
  }
  return want == got;
}

std::vector<std::string> strings(const yaml::Node& n) {
  std::vector<std::string> out;
  if (n && n.is_sequence())
    for (const auto& x : n.elements()) out.push_back(x.text());
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (const auto& x : v) s += (s.size() > 1 ? ", " : "") + x;
  return s + "]";
}

// A problem in English and in Chinese, one beside the other.
void say(CaseResult& r, std::string en, std::string zh) {
  r.problems.push_back(std::move(en));
  r.problems_zh.push_back(std::move(zh));
}

// An outcome as the review desk words it ("fail" → 不通过); other words stay as written.
std::string outcome_zh(std::string_view o) {
  static const std::pair<std::string_view, std::string_view> words[] = {
      {"pass", "通过"},  {"fail", "不通过"},        {"needs_info", "需补充材料"}, {"not_applicable", "不适用"},
      {"error", "出错"}, {"invalid", "输入不合格"}, {"no such item", "无此项"}};
  for (const auto& [en, zh] : words)
    if (o == en) return std::string(zh);
  return std::string(o);
}

void compare(const yaml::Node& expect, const RuleDecision& got, const std::string& file, CaseResult& r,
             std::vector<Error>& errors) {
  if (auto o = expect["outcome"]; o && o.text() != to_string(got.outcome))
    say(r,
        "outcome: expected " + o.text() + ", got " + std::string(to_string(got.outcome)) +
            (got.error ? " (" + got.error->message + ")" : ""),
        "结论：应为" + outcome_zh(o.text()) + "，实际为" + outcome_zh(to_string(got.outcome)) +
            (got.error ? "（" + got.error->message_in("zh") + "）" : ""));
  if (auto outputs = expect["outputs"]; outputs && outputs.is_map())
    for (const auto& kv : outputs.pairs()) {
      std::string name = kv.key.text();
      auto it = std::find_if(got.outputs.begin(), got.outputs.end(), [&](const auto& p) { return p.first == name; });
      if (it == got.outputs.end()) {
        say(r, "output " + name + ": expected, but the rule has no such output",
            "输出项 " + name + "：用例要求有，但规则没有此输出项");
        continue;
      }
      auto want = value_of(kv.value, file, errors);
      if (want && !same(*want, it->second))
        say(r, "output " + name + ": expected " + show(*want) + ", got " + show(it->second),
            "输出项 " + name + "：应为 " + show(*want) + "，实际为 " + show(it->second));
    }
  if (auto m = expect["missing"]) {
    auto want = strings(m), have = got.missing;
    std::sort(want.begin(), want.end());
    std::sort(have.begin(), have.end());
    if (want != have)
      say(r, "missing: expected " + join(want) + ", got " + join(have),
          "缺少的数据：应为 " + join(want) + "，实际为 " + join(have));
  }
  if (auto f = expect["failed"]) {
    auto want = strings(f);
    std::vector<std::string> have;
    for (const auto& c : got.failed) have.push_back(c.name);
    std::sort(want.begin(), want.end());
    std::sort(have.begin(), have.end());
    if (want != have)
      say(r, "failed: expected " + join(want) + ", got " + join(have),
          "未满足的条件：应为 " + join(want) + "，实际为 " + join(have));
  }
  if (auto items = expect["items"]; items && items.is_map())
    for (const auto& kv : items.pairs()) {
      auto it = std::find_if(got.items.begin(), got.items.end(), [&](const auto& i) { return i.key == kv.key.text(); });
      std::string have = it == got.items.end() ? "no such item" : std::string(to_string(it->outcome));
      if (have != kv.value.text())
        say(r, "item " + kv.key.text() + ": expected " + kv.value.text() + ", got " + have,
            "第 " + kv.key.text() + " 项：应为" + outcome_zh(kv.value.text()) + "，实际为" + outcome_zh(have));
    }
}

// Where a node of a cases file stands, with its line for the caret; columns count characters.
class CaseFile {
 public:
  explicit CaseFile(expr::SourceFile source) : source_(std::move(source)) {}
  const std::string& path() const { return source_.path; }
  SourceLoc loc(const yaml::Mark& mark) const { return source_.locate(mark.offset); }
  Error error(const yaml::Mark& mark, std::string message) const {
    Error e;
    e.code = Error::Code::yaml;
    e.message = std::move(message);
    e.loc = loc(mark);
    e.source_line = std::string(source_.line(e.loc.line));
    return e;
  }

 private:
  expr::SourceFile source_;
};

using Words = std::span<const std::string_view>;
constexpr std::array<std::string_view, 6> case_keys = {"name", "rule", "as_of", "input", "input_file", "expect"};
constexpr std::array<std::string_view, 6> expect_keys = {"outcome", "outputs", "missing", "failed", "items", "invalid"};
constexpr std::array<std::string_view, 6> outcomes = {"pass",           "fail",  "needs_info",
                                                      "not_applicable", "error", "invalid"};
constexpr std::array<std::string_view, 1> file_keys = {"cases"};

std::string one_of(Words keys) {
  std::string list;
  for (auto k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
  return list;
}

// The nearest known word, for a misspelt key or outcome ("outcom" -> "outcome").
std::string did_you_mean(std::string_view word, Words known) {
  std::string best = nearest(word, known);
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

// A key the runner does not know would be skipped, and a case that compares nothing passes
// whatever the rule answers: both are errors of the cases file, never a silent pass.
bool well_formed(const yaml::Node& c, const CaseFile& f, std::vector<Error>& errors) {
  std::size_t before = errors.size();
  if (!c.is_map()) {
    errors.push_back(f.error(c.mark(), "expected a case (a mapping with keys " + one_of(case_keys) + ")"));
    return false;
  }
  for (const auto& kv : c.pairs())
    if (std::find(case_keys.begin(), case_keys.end(), kv.key.text()) == case_keys.end())
      errors.push_back(f.error(kv.key.mark(), "unknown key '" + kv.key.text() + "' in a case; expected one of: " +
                                                  one_of(case_keys) + did_you_mean(kv.key.text(), case_keys)));
  for (const char* key : {"name", "rule", "as_of"})
    if (!c[key] || !c[key].is_scalar() || c[key].text().empty())
      errors.push_back(f.error(
          c.mark(), std::string("a case needs '") + key + "'" + (key == std::string("as_of") ? " (YYYY-MM-DD)" : "")));
  if (auto a = c["as_of"]; a && a.is_scalar() && !a.text().empty() && !Date::parse(a.text()))
    errors.push_back(f.error(a.mark(), "expected a date YYYY-MM-DD for 'as_of', got '" + a.text() + "'"));
  if (c["input"] && c["input_file"])
    errors.push_back(f.error(c["input_file"].mark(), "a case has 'input' or 'input_file', not both"));
  else if (!c["input"] && !c["input_file"])
    errors.push_back(f.error(c.mark(), "a case needs 'input' (the document) or 'input_file'"));
  yaml::Node expect = c["expect"];
  const std::string compared = "give at least one of " + one_of(expect_keys);
  if (!expect) {
    errors.push_back(f.error(c.mark(), "a case needs 'expect': what the rule must answer; " + compared));
  } else if (expect.is_null() || (expect.is_map() && expect.size() == 0)) {
    // An empty value has no position of its own: point at its key.
    yaml::Mark at = expect.mark();
    for (const auto& kv : c.pairs())
      if (kv.key.text() == "expect" && expect.is_null()) at = kv.key.mark();
    errors.push_back(f.error(at, "'expect' compares nothing, so the case could never fail; " + compared));
  } else if (!expect.is_map()) {
    errors.push_back(f.error(expect.mark(), "expected 'expect' to be a mapping; " + compared));
  } else {
    for (const auto& kv : expect.pairs()) {
      const std::string key = kv.key.text();
      if (std::find(expect_keys.begin(), expect_keys.end(), key) == expect_keys.end()) {
        errors.push_back(f.error(kv.key.mark(), "unknown key '" + key + "' in 'expect'; expected one of: " +
                                                    one_of(expect_keys) + did_you_mean(key, expect_keys)));
      } else if (key == "outcome") {
        if (!kv.value.is_scalar() || std::find(outcomes.begin(), outcomes.end(), kv.value.text()) == outcomes.end())
          errors.push_back(f.error(kv.value.mark(), "unknown outcome '" +
                                                        (kv.value.is_scalar() ? kv.value.text() : "") +
                                                        "'; expected one of: " + one_of(outcomes) +
                                                        did_you_mean(kv.value.text(), outcomes)));
      } else if ((key == "outputs" || key == "items") && !kv.value.is_map()) {
        errors.push_back(
            f.error(kv.value.mark(), "expected '" + key + "' to be a mapping (" +
                                         (key == "outputs" ? "output name: value" : "element key: outcome") + ")"));
      } else if ((key == "missing" || key == "failed" || key == "invalid") && !kv.value.is_sequence()) {
        errors.push_back(f.error(kv.value.mark(), "expected '" + key + "' to be a list"));
      }
    }
    if (auto items = expect["items"]; items && items.is_map())
      for (const auto& item : items.pairs())
        if (!item.value.is_scalar() || std::find(outcomes.begin(), outcomes.end(), item.value.text()) == outcomes.end())
          errors.push_back(f.error(item.value.mark(),
                                   "unknown outcome '" + (item.value.is_scalar() ? item.value.text() : "") +
                                       "' of item '" + item.key.text() + "'; expected one of: " + one_of(outcomes)));
    if (expect["invalid"] &&
        !(expect["outcome"] && expect["outcome"].is_scalar() && expect["outcome"].text() == "invalid"))
      errors.push_back(f.error(expect["invalid"].mark(),
                               "'invalid' names the paths the schema refuses: it needs 'outcome: invalid'"));
  }
  return errors.size() == before;
}

}  // namespace

CaseRun run_cases(const CompiledPack& pack, const fs::path& pack_dir) {
  CaseRun run;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(pack_dir / "cases", ec))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const std::string file = path.string();
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    if (in) text << in.rdbuf();
    const CaseFile f(expr::SourceFile(file, text.str()));
    if (!in || in.bad()) {
      Error e;
      e.code = Error::Code::io;
      e.message = "cannot read the cases file";
      e.loc.file = file;
      run.errors.push_back(std::move(e));
      continue;
    }
    const auto parsed = yaml::parse(text.str());
    if (parsed.error) {
      run.errors.push_back(f.error(parsed.error->mark, "YAML: " + parsed.error->message));
      continue;
    }
    const yaml::Node root = parsed.document.root();
    if (!root.is_map() || !root["cases"] || !root["cases"].is_sequence()) {
      run.errors.push_back(f.error(root.mark(), "expected 'cases:', a list of cases"));
      continue;
    }
    if (root["cases"].size() == 0)
      run.errors.push_back(f.error(root["cases"].mark(), "'cases' is empty: the file tests nothing"));
    for (const auto& kv : root.pairs())
      if (kv.key.text() != "cases")
        run.errors.push_back(f.error(kv.key.mark(), "unknown key '" + kv.key.text() +
                                                        "' in a cases file; expected only: cases" +
                                                        did_you_mean(kv.key.text(), file_keys)));
    for (const auto& c : root["cases"].elements()) {
      if (!well_formed(c, f, run.errors)) continue;
      CaseResult r;
      r.at = f.loc(c.mark());
      r.name = c["name"].text();
      r.rule = c["rule"].text();
      auto as_of = Date::parse(c["as_of"].text());
      std::string json;
      if (auto file_node = c["input_file"]) {
        // A draft copied out of the project finds the examples as if it stood in rules/.
        auto input_path = pack::beside_pack(pack_dir, (fs::path("cases") / file_node.text()).string());
        if (!input_path) {
          run.errors.push_back(f.error(file_node.mark(), "cannot read " + file_node.text() +
                                                             " (relative to this cases file, or to rules/" +
                                                             pack_dir.filename().string() +
                                                             "/cases/ under RULEBOOK_HOME or the working folder)"));
          continue;
        }
        // Read as any input is: a regular file under the document limit (never /dev/zero whole).
        InputText input = read_input(input_path->string());
        if (input.error) {
          run.errors.push_back(
              f.error(file_node.mark(), "cannot read " + file_node.text() + ": " + input.error->message));
          continue;
        }
        json = std::move(input.text);
      } else {
        try {
          json = pack::yaml_to_json(c["input"]);
        } catch (const pack::YamlTooLarge& e) {
          run.errors.push_back(f.error(c["input"].mark(), e.what()));
          continue;
        }
      }
      auto doc = Document::parse(json, file + ": " + r.name);
      if (!doc.document) {
        for (const auto& e : doc.errors) say(r, "input: " + e.message, "输入：" + e.message_in("zh"));
        run.results.push_back(std::move(r));
        continue;
      }
      // `outcome: invalid` expects the schema to refuse the input (with `invalid:` naming the paths).
      auto problems = pack.validate(*doc.document);
      bool want_invalid = c["expect"]["outcome"] && c["expect"]["outcome"].text() == "invalid";
      if (want_invalid || !problems.empty()) {
        if (!want_invalid)
          for (const auto& e : problems)
            say(r, "input: " + e.json_path + ": " + e.message, "输入：" + e.message_in("zh"));
        else if (problems.empty())
          say(r, "expected the schema to refuse the input, but it was accepted",
              "用例要求数据模式拒绝该输入，但输入被接受了");
        for (const auto& p : strings(c["expect"]["invalid"]))
          if (std::none_of(problems.begin(), problems.end(), [&](const Error& e) { return e.json_path == p; }))
            say(r, "expected a schema error at " + p, "用例要求在 " + p + " 处有数据模式错误，但没有");
        run.results.push_back(std::move(r));
        continue;
      }
      Decision d = pack.evaluate(*doc.document, {.as_of = *as_of, .validate = false});  // validated above
      // Batch's simdjson reader must decide every case exactly as Document::parse's input does.
      auto fast = detail::FastReader(detail::program(pack), {}).read(json, file + ": " + r.name);
      if (!fast || to_json(pack.evaluate(*fast, {.as_of = *as_of, .validate = false})) != to_json(d))
        say(r, fast ? "batch's fast reader gives a different decision" : "batch's fast reader refuses the input",
            fast ? "批量处理的快速读取器给出了不同的结论" : "批量处理的快速读取器拒绝了该输入");
      auto rule = std::find_if(d.rules.begin(), d.rules.end(), [&](const RuleDecision& x) { return x.id == r.rule; });
      if (rule == d.rules.end()) {
        run.errors.push_back(f.error(c["rule"].mark(), "no rule '" + r.rule + "' in the pack"));
        continue;
      }
      compare(c["expect"], *rule, file, r, run.errors);
      r.actual = *rule;
      r.decision = std::move(d);
      run.results.push_back(std::move(r));
    }
  }
  return run;
}

std::vector<RuleCoverage> coverage(const CompiledPack& pack, const CaseRun& run) {
  std::vector<RuleCoverage> out;
  for (const auto& r : detail::program(pack).rules) {
    RuleCoverage c;
    c.rule = r.id;
    c.possible[std::size_t(Outcome::pass)] = true;
    c.possible[std::size_t(Outcome::fail)] = !r.conditions.empty() || r.each.has_value();
    c.possible[std::size_t(Outcome::needs_info)] = true;
    c.possible[std::size_t(Outcome::not_applicable)] = r.applies.has_value();
    for (const auto& result : run.results)
      if (result.rule == r.id && result.actual) {
        ++c.cases;
        c.exercised[std::size_t(result.actual->outcome)] = true;
        if (result.actual->outcome == Outcome::error) c.possible[std::size_t(Outcome::error)] = true;
      }
    out.push_back(c);
  }
  return out;
}

}  // namespace rulebook
