// What the commands share before the first document: the packs, and the decision date.

#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

#include "cli/commands.hpp"
#include "value/utf8.hpp"

namespace rulebook::cli {
namespace {

// The clock is read here, in the tool, never by a rule: the date is then an input like any other.
Date today() {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(system_clock::now())};
  return *Date::from_ymd(int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())));
}

// The packs the command opened, kept to the end of the process: a command opens its packs once
// and exits after its answer, and taking a compiled pack apart (0.5 M instructions for
// dongsheng-2024's, its schema's JSON most of them) would only delay the exit. Still reachable
// from here when the process ends, so LeakSanitizer sees no leak.
void keep_to_exit(const CompiledPack& pack) {
  static auto* kept = new std::vector<CompiledPack>();
  kept->push_back(pack);
}

}  // namespace

CLI::Validator date_text() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (Date::parse(text)) return {};
        return "expected a date YYYY-MM-DD, got '" + excerpt(text) + "'";
      },
      "DATE");
}

std::vector<std::string> pack_dirs(const char* command, const std::vector<std::string>& given) {
  if (!given.empty()) return given;
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("rules", ec))
    if (std::filesystem::exists(e.path() / "pack.yaml")) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  if (out.empty()) std::cerr << "rulebook " << command << ": nothing to do: no packs given and none under ./rules\n";
  return out;
}

std::optional<Session> open_session(const char* command, const std::string& pack_dir, const std::string& as_of_text,
                                    const LoadOptions& load) {
  Date as_of = today();
  if (!as_of_text.empty()) {
    auto d = Date::parse(as_of_text);
    if (!d) {
      std::cerr << "rulebook " << command << ": --as-of expects a date YYYY-MM-DD, got '" << excerpt(as_of_text)
                << "'\n";
      return std::nullopt;
    }
    as_of = *d;
  }
  LoadResult loaded = load_pack(pack_dir, load);
  for (const auto& w : loaded.warnings) std::cerr << w.to_string("warning");
  for (const auto& e : loaded.errors) std::cerr << e.to_string();
  if (!loaded.pack) return std::nullopt;
  keep_to_exit(*loaded.pack);
  return Session{*loaded.pack, as_of};
}

}  // namespace rulebook::cli
