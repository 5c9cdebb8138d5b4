#include "ledger/pack_hash.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "ledger/sha256.hpp"
#include "yaml/yaml.hpp"

namespace rulebook::ledger {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(p.string() + ": cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void add_folder(const fs::path& dir, std::set<fs::path>& files) {
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.insert(fs::weakly_canonical(e.path()));
}

// A schema and, transitively, the files its "$ref"s name ("other.schema.json#/...").
void add_schema(const fs::path& file, std::set<fs::path>& files) {
  fs::path p = fs::weakly_canonical(file);
  if (!files.insert(p).second || !fs::is_regular_file(p)) return;
  nlohmann::json j = nlohmann::json::parse(read_file(p), nullptr, false);
  if (j.is_discarded()) return;  // the loader reports a broken schema; its bytes are hashed all the same
  std::vector<const nlohmann::json*> todo{&j};
  while (!todo.empty()) {
    const nlohmann::json* n = todo.back();
    todo.pop_back();
    if (n->is_object()) {
      for (auto it = n->begin(); it != n->end(); ++it) {
        if (it.key() == "$ref" && it->is_string()) {
          std::string ref = it->get<std::string>();
          std::string target = ref.substr(0, ref.find('#'));
          if (!target.empty() && target.find("://") == std::string::npos) add_schema(p.parent_path() / target, files);
        } else {
          todo.push_back(&*it);
        }
      }
    } else if (n->is_array()) {
      for (const auto& v : *n) todo.push_back(&v);
    }
  }
}

}  // namespace

std::vector<fs::path> subject_schema_files(const fs::path& pack_dir) {
  fs::path dir = fs::weakly_canonical(pack_dir);
  std::vector<fs::path> out;
  // A pack.yaml that does not parse (or is no mapping) names no schema.
  const auto parsed = yaml::parse_file(dir / "pack.yaml");
  auto s = parsed.document.root()["subject"];
  if (!s.is_scalar()) return out;
  fs::path subject = fs::weakly_canonical(dir / s.text());
  std::set<fs::path> files;
  add_schema(subject, files);
  out.push_back(subject);
  for (const auto& f : files)
    if (f != subject) out.push_back(f);
  return out;
}

std::string pack_hash(const fs::path& pack_dir) {
  fs::path dir = fs::weakly_canonical(pack_dir);
  std::set<fs::path> files;
  add_folder(dir, files);
  // A pack.yaml that does not parse never loads, so no decision is recorded under it: its
  // root is then null, naming nothing.
  const auto parsed = yaml::parse_file(dir / "pack.yaml");
  const yaml::Node root = parsed.document.root();
  for (const auto& name : root["imports"].elements())
    if (name.is_scalar() && fs::is_directory(dir.parent_path() / name.text()))
      add_folder(dir.parent_path() / name.text(), files);
  if (auto s = root["subject"]; s.is_scalar()) add_schema(dir / s.text(), files);
  // Paths relative to the folder holding rules/ and schemas/: the same in every checkout.
  fs::path base = dir.parent_path().parent_path();
  Sha256 all;
  for (const auto& f : files) {
    all.update(f.lexically_relative(base).generic_string());
    all.update(std::string_view("\0", 1));
    all.update(sha256_hex(read_file(f)));
  }
  return all.hex();
}

}  // namespace rulebook::ledger
