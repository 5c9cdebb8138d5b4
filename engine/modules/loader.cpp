// Finds, loads and checks rulebook's modules (loader.hpp).

#include "modules/loader.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include "rulebook/version.hpp"

namespace rulebook::modules {
namespace {

// The module's full path, from the folders the loader searches for this program's own libraries
// (its RUNPATH, $ORIGIN expanded): dlopen by name searches the caller's RUNPATH, and under a
// sanitizer the caller is the sanitizer's runtime, which has none. The first folder with an entry
// of that name decides, whatever it is (load_module refuses what is not a file: dlopen would wait
// forever on a pipe). The bare name when no folder holds it, for dlopen's own error.
std::string module_path(const char* file) {
  void* self = dlopen(nullptr, RTLD_NOW);
  Dl_serinfo size;
  if (!self || dlinfo(self, RTLD_DI_SERINFOSIZE, &size) != 0) return file;
  std::vector<char> buffer(size.dls_size);
  auto* info = reinterpret_cast<Dl_serinfo*>(buffer.data());
  if (dlinfo(self, RTLD_DI_SERINFOSIZE, info) != 0 || dlinfo(self, RTLD_DI_SERINFO, info) != 0) return file;
  for (unsigned i = 0; i < info->dls_cnt; ++i) {
    std::filesystem::path candidate = std::filesystem::path(info->dls_serpath[i].dls_name) / file;
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) return candidate.string();
  }
  return file;
}

// dlerror's text, which it may not have (a symbol whose value is null).
std::string last_error() {
  const char* e = dlerror();
  return e ? e : "no reason given";
}

// A loaded module, or why it could not be loaded.
struct Module {
  void* handle = nullptr;
  std::string why;
  // The address of the module's symbol `name`; null, with `why` set, when it has none.
  void* symbol(const char* name);
};

void* Module::symbol(const char* name) {
  void* found = handle ? dlsym(handle, name) : nullptr;
  if (!found && why.empty()) why = handle ? last_error() : "not loaded";
  return found;
}

Module load_module(const char* file, const char* version_function) {
  Module m;
  std::string path = module_path(file);
  std::error_code ec;
  if (path != file && !std::filesystem::is_regular_file(path, ec)) {
    m.why = path + " is not a file";
    return m;
  }
  m.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!m.handle) {
    m.why = last_error();
    return m;
  }
  using Version = const char* (*)();
  auto module_version = reinterpret_cast<Version>(dlsym(m.handle, version_function));
  if (!module_version || module_version() != version()) {
    m.why = "it is from rulebook " + std::string(module_version ? module_version() : "before 0.1") +
            ", this is rulebook " + std::string(version());
    m.handle = nullptr;
  }
  return m;
}

}  // namespace

const Entry& load_once(const char* file, const char* version_function, const char* entry) {
  static std::mutex mutex;
  static std::map<std::string, Entry, std::less<>> loaded;  // by file and entry; nodes never move
  std::lock_guard lock(mutex);
  auto [it, fresh] = loaded.try_emplace(std::string(file) + "/" + entry);
  if (fresh) {
    Module m = load_module(file, version_function);
    it->second.address = m.symbol(entry);
    if (!it->second.address) it->second.why = m.why;
  }
  return it->second;
}

std::string module_error(const std::string& what, const char* file, const std::string& why) {
  return what + ": its module " + file + ", installed with rulebook in lib/rulebook beside the program's lib "
         "folder, could not be loaded (" + why + ")";
}

}  // namespace rulebook::modules
