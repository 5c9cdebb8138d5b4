// Reads case files (YAML) and compares decisions with what they expect.

#include "rulebook/cases.hpp"

#include "batch/fast_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "pack/source_map.hpp"
#include "pack/yaml_json.hpp"

namespace rulebook {
namespace fs = std::filesystem;
namespace {

std::optional<Value> value_of(const YAML::Node& n, const std::string& name, std::vector<Error>& errors) {
  std::string text = pack::yaml_to_json(n);
  auto doc = Document::parse("{\"v\":" + text + "}", name);
  if (!doc.document) {
    errors.insert(errors.end(), doc.errors.begin(), doc.errors.end());
    return std::nullopt;
  }
  return *doc.document->root().as_object().find("v");
}

std::string show(const Value& v) { return v.is_unknown() ? "unknown" : v.to_display(); }

// An expected null matches an unknown output (nothing could be computed).
bool same(const Value& want, const Value& got) {
  if (want.kind() == Kind::null) return got.is_unknown() || got.kind() == Kind::null;
  if (want.kind() == Kind::list && got.kind() == Kind::list) {
    const auto& a = want.as_list().items;
    const auto& b = got.as_list().items;
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  return want == got;
}

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n && n.IsSequence())
    for (const auto& x : n) out.push_back(x.Scalar());
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (const auto& x : v) s += (s.size() > 1 ? ", " : "") + x;
  return s + "]";
}

void compare(const YAML::Node& expect, const RuleDecision& got, const std::string& file, CaseResult& r,
             std::vector<Error>& errors) {
  if (auto o = expect["outcome"]; o && o.Scalar() != to_string(got.outcome))
    r.problems.push_back("outcome: expected " + o.Scalar() + ", got " + std::string(to_string(got.outcome)) +
                         (got.error ? " (" + got.error->message + ")" : ""));
  if (auto outputs = expect["outputs"]; outputs && outputs.IsMap())
    for (const auto& kv : outputs) {
      std::string name = kv.first.Scalar();
      auto it = std::find_if(got.outputs.begin(), got.outputs.end(), [&](const auto& p) { return p.first == name; });
      if (it == got.outputs.end()) {
        r.problems.push_back("output " + name + ": expected, but the rule has no such output");
        continue;
      }
      auto want = value_of(kv.second, file, errors);
      if (want && !same(*want, it->second))
        r.problems.push_back("output " + name + ": expected " + show(*want) + ", got " + show(it->second));
    }
  if (auto m = expect["missing"]) {
    auto want = strings(m), have = got.missing;
    std::sort(want.begin(), want.end());
    std::sort(have.begin(), have.end());
    if (want != have) r.problems.push_back("missing: expected " + join(want) + ", got " + join(have));
  }
  if (auto f = expect["failed"]) {
    auto want = strings(f);
    std::vector<std::string> have;
    for (const auto& c : got.failed) have.push_back(c.name);
    std::sort(want.begin(), want.end());
    std::sort(have.begin(), have.end());
    if (want != have) r.problems.push_back("failed: expected " + join(want) + ", got " + join(have));
  }
  if (auto items = expect["items"]; items && items.IsMap())
    for (const auto& kv : items) {
      auto it = std::find_if(got.items.begin(), got.items.end(), [&](const auto& i) { return i.key == kv.first.Scalar(); });
      std::string have = it == got.items.end() ? "no such item" : std::string(to_string(it->outcome));
      if (have != kv.second.Scalar())
        r.problems.push_back("item " + kv.first.Scalar() + ": expected " + kv.second.Scalar() + ", got " + have);
    }
}

Error case_error(const std::string& file, const YAML::Mark& mark, std::string message) {
  Error e;
  e.code = Error::Code::yaml;
  e.message = std::move(message);
  e.loc = {file, mark.line + 1, mark.column + 1};
  return e;
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
    YAML::Node root;
    try {
      root = YAML::LoadFile(file);
    } catch (const YAML::Exception& e) {
      run.errors.push_back(case_error(file, e.mark, "YAML: " + e.msg));
      continue;
    }
    if (!root["cases"] || !root["cases"].IsSequence()) {
      run.errors.push_back(case_error(file, root.Mark(), "expected 'cases:', a list of cases"));
      continue;
    }
    for (const auto& c : root["cases"]) {
      CaseResult r;
      r.at = {file, c.Mark().line + 1, c.Mark().column + 1};
      r.name = c["name"] ? c["name"].Scalar() : "";
      r.rule = c["rule"] ? c["rule"].Scalar() : "";
      auto as_of = c["as_of"] ? Date::parse(c["as_of"].Scalar()) : std::nullopt;
      if (r.name.empty() || r.rule.empty() || !as_of || !c["expect"]) {
        run.errors.push_back(case_error(file, c.Mark(), "a case needs name, rule, as_of (YYYY-MM-DD) and expect"));
        continue;
      }
      std::string json;
      if (auto f = c["input_file"]) {
        std::ifstream in(path.parent_path() / f.Scalar(), std::ios::binary);
        if (!in) {
          run.errors.push_back(case_error(file, f.Mark(), "cannot read " + f.Scalar()));
          continue;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        json = ss.str();
      } else if (auto i = c["input"]) {
        json = pack::yaml_to_json(i);
      } else {
        run.errors.push_back(case_error(file, c.Mark(), "a case needs 'input' or 'input_file'"));
        continue;
      }
      auto doc = Document::parse(json, file + ": " + r.name);
      if (!doc.document) {
        for (const auto& e : doc.errors) r.problems.push_back("input: " + e.message);
        run.results.push_back(std::move(r));
        continue;
      }
      // `outcome: invalid` expects the schema to refuse the input (with `invalid:` naming the paths).
      auto problems = pack.validate(*doc.document);
      bool want_invalid = c["expect"]["outcome"] && c["expect"]["outcome"].Scalar() == "invalid";
      if (want_invalid || !problems.empty()) {
        if (!want_invalid)
          for (const auto& e : problems) r.problems.push_back("input: " + e.json_path + ": " + e.message);
        else if (problems.empty())
          r.problems.push_back("expected the schema to refuse the input, but it was accepted");
        for (const auto& p : strings(c["expect"]["invalid"]))
          if (std::none_of(problems.begin(), problems.end(), [&](const Error& e) { return e.json_path == p; }))
            r.problems.push_back("expected a schema error at " + p);
        run.results.push_back(std::move(r));
        continue;
      }
      Decision d = pack.evaluate(*doc.document, {.as_of = *as_of});
      // Batch's simdjson reader must decide every case exactly as Document::parse's input does.
      auto fast = detail::FastReader(pack.program(), {}).read(json, file + ": " + r.name);
      if (!fast || to_json(pack.evaluate(*fast, {.as_of = *as_of})) != to_json(d))
        r.problems.push_back(fast ? "batch's fast reader gives a different decision" : "batch's fast reader refuses the input");
      auto rule = std::find_if(d.rules.begin(), d.rules.end(), [&](const RuleDecision& x) { return x.id == r.rule; });
      if (rule == d.rules.end()) {
        run.errors.push_back(case_error(file, c["rule"].Mark(), "no rule '" + r.rule + "' in the pack"));
        continue;
      }
      compare(c["expect"], *rule, file, r, run.errors);
      r.actual = *rule;
      run.results.push_back(std::move(r));
    }
  }
  return run;
}

std::vector<RuleCoverage> coverage(const CompiledPack& pack, const CaseRun& run) {
  std::vector<RuleCoverage> out;
  for (const auto& r : pack.program().rules) {
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
