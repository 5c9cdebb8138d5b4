// The playground's engine: an edit tried in memory against the saved pack. Each step is the
// command a drafter would run — lint, test, diff — over the same overlay of files.

#include "draft/draft.hpp"

#include <algorithm>

namespace rulebook::draft {
namespace fs = std::filesystem;

std::vector<std::string> rule_files(const fs::path& pack_dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(pack_dir, ec)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file(ec) && name != "pack.yaml" && is_rule_file_name(name)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  if (fs::is_regular_file(pack_dir / "pack.yaml", ec)) out.insert(out.begin(), "pack.yaml");
  return out;
}

bool is_rule_file_name(std::string_view name) {
  if (name.size() <= 5 || name.size() > 100 || !name.ends_with(".yaml") || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

std::optional<fs::path> examples_of(const fs::path& pack_dir) {
  fs::path dir = pack_dir.lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();  // "rules/x/"
  fs::path examples = dir.parent_path().parent_path() / "examples" / dir.filename();
  std::error_code ec;
  if (fs::is_directory(examples, ec)) return examples;
  return std::nullopt;
}

Date review_day(const PackInfo& info) {
  if (info.effective_to == *Date::from_ymd(9999, 12, 31)) return info.effective_to;
  return info.effective_to.add_days(1).value_or(info.effective_to);
}

EditResult try_edit(const fs::path& pack_dir, const std::string& file, std::string text, const EditOptions& options) {
  EditResult r;
  LoadOptions load = options.load;
  load.overlay[(pack_dir / file).lexically_normal()] = std::move(text);
  r.lint = lint_pack(pack_dir, load);
  LoadResult edited = load_pack(pack_dir, load);

  std::optional<CompiledPack> saved = options.saved;
  if (!saved) {
    LoadOptions plain = options.load;
    plain.overlay.clear();
    saved = load_pack(pack_dir, plain).pack;
  }
  const CompiledPack* dated = saved ? &*saved : edited.pack ? &*edited.pack : nullptr;
  if (options.as_of)
    r.as_of = *options.as_of;
  else if (dated)
    r.as_of = review_day(dated->info());
  if (!edited.pack) return r;
  r.cases = run_cases(*edited.pack, pack_dir);
  if (!saved || !options.examples) return r;

  OpenedInput in = open_input({options.examples->string()});
  if (!in.source) {
    r.errors = std::move(in.errors);
    return r;
  }
  r.diff = diff_packs({pack_dir, *saved}, {pack_dir, *edited.pack, load.overlay}, *in.source,
                      {.as_of = r.as_of, .limits = options.limits, .base_hash = options.saved_hash});
  return r;
}

}  // namespace rulebook::draft
