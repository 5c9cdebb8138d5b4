// The rulebook executable: a thin layer over the public library API.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string_view>
#include <utility>

#include "cli/commands.hpp"

namespace {

// A standard stream the caller closed is held on /dev/null opened the wrong way round: no file a
// command opens then takes its number (and gets the output meant for the terminal), and writing
// to it fails, as writing to a closed stream should.
void hold_closed_streams() {
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    int held = ::open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
    if (held >= 0 && held != fd) {
      ::dup2(held, fd);
      ::close(held);
    }
  }
}

// Output that did not reach its reader is no answer: the command fails, saying why. A reader
// that went away (`| head`) asked for no more: the process ends as SIGPIPE ends it, quietly.
int checked_output(const CLI::App& app, int code) {
  errno = 0;
  if (std::cout.flush()) return code;
  int error = errno;
  // A stream that went bad earlier (batch stops reading then) reports no error as it flushes:
  // ask the output itself why, the output being broken already.
  if (!error && ::write(STDOUT_FILENO, "\n", 1) < 0) error = errno;
  if (error == EPIPE) {
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
  }
  auto commands = app.get_subcommands();
  std::cerr << "rulebook" << (commands.empty() ? "" : " " + commands[0]->get_name())
            << ": error: cannot write the output" << (error ? std::string(": ") + std::strerror(error) : "") << "\n";
  return static_cast<int>(rulebook::cli::ExitCode::bad_input);
}

}  // namespace

int main(int argc, char** argv) {
  using rulebook::cli::ExitCode;
  hold_closed_streams();
  CLI::App app{
      "rulebook: checks data against the rules of patent-policy plans.\n"
      "Exit status: 0 every rule passes or does not apply; 1 a rule fails or needs information;\n"
      "2 bad input, bad rules, a rule that could not be evaluated, or bad usage.\n"
      "Reference: docs/reference.md",
      "rulebook"};
  app.set_version_flag("--version", "rulebook 0.1.0");
  app.require_subcommand(1);
  std::function<ExitCode()> run;
  // Only the command asked for is built: the others' options took a third of the start of
  // `rulebook check`. Help, --version and a mistake see them all.
  using namespace rulebook::cli;
  using Add = void (*)(CLI::App&, std::function<ExitCode()>&);
  static constexpr std::pair<std::string_view, Add> commands[] = {
      {"check", add_check}, {"test", add_test},   {"batch", add_batch},  {"diff", add_diff},
      {"lint", add_lint},   {"serve", add_serve}, {"ledger", add_ledger}};
  std::string_view asked = argc > 1 ? argv[1] : "";
  bool known = std::any_of(std::begin(commands), std::end(commands), [&](const auto& c) { return c.first == asked; });
  for (const auto& [name, add] : commands)
    if (!known || name == asked) add(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return checked_output(app, code == 0 ? 0 : static_cast<int>(ExitCode::bad_input));
  }
  try {
    return checked_output(app, static_cast<int>(run ? run() : ExitCode::bad_input));
  } catch (const std::exception& e) {
    std::cerr << "rulebook: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::bad_input);
  }
}
