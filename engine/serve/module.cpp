// The service's module (librulebook_serve.so), loaded by `rulebook serve` alone: cpp-httplib
// brings OpenSSL, brotli and zlib, and OpenSSL initialises itself at load, which every other
// command paid at start. The engine, the ledger and sheets it uses are the program's own (the
// program exports its symbols): one copy of their state, and exceptions caught by type across.

#include <iostream>

#include "serve/server.hpp"

/// Checks the options, then serves: the exit status of serve::run, or 2 for options that are
/// not sane (said on stderr).
extern "C" __attribute__((visibility("default"))) int rulebook_serve_main(const rulebook::serve::ServeOptions* o,
                                                                          bool allow_remote) {
  if (auto why = rulebook::serve::check_options(*o, allow_remote); !why.empty()) {
    std::cerr << "rulebook serve: " << why << "\n";
    return 2;
  }
  return rulebook::serve::run(*o);
}

// The rulebook this module was built with: a module of another version is refused, as the two
// share C++ types that may have changed.
extern "C" __attribute__((visibility("default"))) const char* rulebook_serve_version() { return RULEBOOK_VERSION; }
