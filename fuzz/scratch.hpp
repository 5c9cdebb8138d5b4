#pragma once
// A folder of this process's own for the targets whose entry point reads files (cases under a
// pack folder, a CSV sheet): each input is written there, and the folder is removed at exit.
// It lives in /dev/shm when there is one, so that the write costs no disk I/O per execution.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace rulebook::fuzz {

class Scratch {
 public:
  explicit Scratch(std::string_view name) {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec)
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    root_ = base / ("rulebook-fuzz-" + std::string(name) + "-" + std::to_string(getpid()));
    std::filesystem::create_directories(root_);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  const std::filesystem::path& root() const { return root_; }
  /// Writes `text` to `relative` (its folders made), replacing what was there; the full path.
  std::filesystem::path write(const std::filesystem::path& relative, std::string_view text) const {
    std::filesystem::path p = root_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(text.data(), std::streamsize(text.size()));
    return p;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace rulebook::fuzz
