// The service's module (librulebook_serve.so), loaded by `rulebook serve` alone: cpp-httplib
// brings OpenSSL, brotli and zlib, and OpenSSL initialises itself at load, which every other
// command paid at start. The engine, the ledger and sheets it uses are the program's own (the
// program exports its symbols): one copy of their state, and exceptions caught by type across.

#include "serve/server.hpp"

/// Serves with options the program has checked (check_options): the exit status of serve::run.
extern "C" __attribute__((visibility("default"))) int rulebook_serve_main(const rulebook::serve::ServeOptions* o) {
  return rulebook::serve::run(*o);
}

// The rulebook this module was built with: a module of another version is refused, as the two
// share C++ types that may have changed.
extern "C" __attribute__((visibility("default"))) const char* rulebook_serve_version() { return RULEBOOK_VERSION; }
