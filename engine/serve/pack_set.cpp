#include "serve/pack_set.hpp"

#include <fstream>
#include <sstream>

#include "ledger/pack_hash.hpp"

namespace rulebook::serve {
namespace {

namespace fs = std::filesystem;

// The rule listing comes from the engine's own decision on an empty document, so titles,
// clauses and quotes are exactly what decisions cite, with no second reader of rule files.
std::vector<RuleInfo> rules_of(const CompiledPack& pack) {
  DocumentResult empty = Document::parse("{}", "-");
  EvalOptions eval;
  eval.as_of = pack.info().effective_from;
  eval.trace = false;
  eval.validate = false;  // {} has none of the required fields: only the rules' citations are read
  Decision d = pack.evaluate(*empty.document, eval);
  std::vector<RuleInfo> out;
  for (const auto& r : d.rules)
    out.push_back({r.id, r.title, std::string(to_string(r.severity)), r.citation.clause, r.citation.quote});
  return out;
}

}  // namespace

PackSetResult load_pack_set(const fs::path& dir, const LoadOptions& options) {
  PackSetResult out;
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (fs::is_regular_file(e.path() / "pack.yaml")) dirs.push_back(e.path());
  if (ec || dirs.empty()) {
    Error e;
    e.code = Error::Code::io;
    e.message = ec ? "cannot read the packs folder: " + ec.message() : "no pack (a folder with a pack.yaml) in it";
    e.loc.file = dir.string();
    out.errors.push_back(std::move(e));
    return out;
  }
  std::sort(dirs.begin(), dirs.end());
  auto set = std::make_shared<PackSet>();
  for (const auto& d : dirs) {
    auto loaded = ledger::load_ledger_pack(d, options);
    out.warnings.insert(out.warnings.end(), loaded.warnings.begin(), loaded.warnings.end());
    out.errors.insert(out.errors.end(), loaded.errors.begin(), loaded.errors.end());
    if (!loaded.pack) continue;
    auto served = std::make_shared<ServedPack>(ServedPack{std::move(*loaded.pack), {}, {}, {}});
    served->rules = rules_of(served->loaded.pack);
    served->reads = served->loaded.pack.read_paths();
    for (const auto& f : ledger::subject_schema_files(d)) {
      std::ifstream in(f, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      std::string name = f.filename().string();
      if (served->subject_schema.empty()) served->subject_schema = name;
      set->schemas[name] = ss.str();
    }
    std::string id = served->loaded.pack.info().id;
    if (set->packs.count(id)) {
      Error e;
      e.code = Error::Code::yaml;
      e.message = "a second pack with id '" + id + "'";
      e.loc.file = (d / "pack.yaml").string();
      out.errors.push_back(std::move(e));
      continue;
    }
    set->packs[id] = std::move(served);
  }
  set->loaded_at = ledger::utc_now();
  if (out.errors.empty()) out.set = std::move(set);
  return out;
}

PackSetResult PackRegistry::reload() {
  std::lock_guard one_at_a_time(reload_mutex_);
  PackSetResult r = load_pack_set(dir_, options_);
  if (r.set) {
    std::lock_guard lock(mutex_);
    current_ = r.set;
  }
  return r;
}

}  // namespace rulebook::serve
