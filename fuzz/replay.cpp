// Runs a fuzz target over files (folders are walked), without libFuzzer: the seeds and saved
// regressions then run as a plain test under any compiler and sanitizer. Like any test runner
// it says how many inputs it replayed and fails when it replayed none (a moved corpus would
// otherwise pass forever), and names the input that crashed, let an exception escape, or ran
// longer than libFuzzer's -timeout in fuzz/run.sh (10 s; REPLAY_TIMEOUT overrides it): a hang
// once found stays fixed too.

#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

// The input being replayed, for the crash handler; set before each call.
const char* volatile current = nullptr;

// Only async-signal-safe calls: write, then the default action, so the exit status still
// says which signal killed the run.
extern "C" void on_crash(int sig) {
  const char* name = current ? current : "(no input)";
  const char head[] = "CRASH while replaying ";
  (void)!write(2, head, sizeof head - 1);
  (void)!write(2, name, std::strlen(name));
  (void)!write(2, "\n", 1);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

extern "C" void on_timeout(int) {
  const char* name = current ? current : "(no input)";
  const char head[] = "TIMEOUT while replaying ";
  const char tail[] = ": it ran past the time limit\n";
  (void)!write(2, head, sizeof head - 1);
  (void)!write(2, name, std::strlen(name));
  (void)!write(2, tail, sizeof tail - 1);
  _exit(1);
}


}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p = argv[i];
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (std::filesystem::exists(p, ec)) {
      files.push_back(p);
    } else {
      // A target without saved regressions has no folder for them yet: not an error by itself.
      std::cout << "skipped " << p.string() << ": no such file or folder\n";
    }
  }
  for (int sig : {SIGSEGV, SIGABRT, SIGFPE, SIGILL, SIGBUS}) std::signal(sig, on_crash);
  std::signal(SIGALRM, on_timeout);
  const char* limit = std::getenv("REPLAY_TIMEOUT");
  const unsigned timeout_seconds = limit ? unsigned(std::strtoul(limit, nullptr, 10)) : 10;
  std::size_t replayed = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << f.string() << ": error: cannot read the file\n";
      return 1;
    }
    std::string data((std::istreambuf_iterator<char>(in)), {});
    const std::string name = f.string();
    current = name.c_str();
    alarm(timeout_seconds);
    try {
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    } catch (const std::exception& e) {  // libFuzzer would report an escaping exception as a crash
      std::cerr << "CRASH while replaying " << name << ": uncaught exception: " << e.what() << "\n";
      return 1;
    } catch (...) {
      std::cerr << "CRASH while replaying " << name << ": uncaught exception\n";
      return 1;
    }
    alarm(0);
    current = nullptr;
    ++replayed;
  }
  std::cout << "replayed " << replayed << " inputs: " << replayed << " passed, 0 failed\n";
  if (replayed == 0) {
    std::cerr << "error: replayed nothing: no input files under the paths given\n";
    return 1;
  }
  return 0;
}
