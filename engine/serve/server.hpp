#pragma once
// `rulebook serve`: the engine as an HTTP/JSON service (routes in schemas/openapi.json).
//
// cpp-httplib parses requests and routes them; the connections are ours: one thread accepts,
// a fixed pool of workers serves, a bounded queue sits between them and a connection that
// finds it full is answered 503 at once. Every request must arrive whole within a deadline,
// so a slow sender holds a worker for at most that long.

#include <filesystem>
#include <functional>
#include <string>

#include "rulebook/engine.hpp"

namespace rulebook::serve {

struct ServeOptions {
  std::filesystem::path packs;  ///< the folder whose sub-folders are packs
  std::string db;               ///< ledger URL (sqlite:PATH, a path, postgresql://…); empty: no ledger
  std::string host = "127.0.0.1";
  int port = 8080;              ///< 0: any free port
  std::size_t threads = 8;      ///< workers: requests served at once
  std::size_t queue = 64;       ///< connections waiting for a worker; more are answered 503
  std::size_t max_body = 8u << 20;  ///< bytes of a request body
  std::size_t max_batch = 1000;     ///< documents in one batch request
  int request_timeout_ms = 10'000;  ///< to receive a whole request, from its first byte
  int idle_timeout_ms = 5'000;      ///< to wait for the next request on a kept-alive connection
  int write_timeout_ms = 10'000;    ///< for each write of an answer
  std::size_t keep_alive_max = 100; ///< requests on one connection
  std::string reviewer = "anonymous";  ///< recorded when a request has no X-Reviewer header
  LoadOptions load;
  InputLimits input;
  EvalOptions eval;
  /// Called once listening, with the port (useful with port 0).
  std::function<void(int port)> on_listening;
};

/// Checks the options; an empty string when they are sane, else what is wrong (options.cpp,
/// linked into the program: judged before the service's module is loaded).
std::string check_options(const ServeOptions& o, bool allow_remote);
/// Whether `host` names this machine's loopback interface.
bool is_loopback(const std::string& host);

/// Loads the packs, opens the ledger, serves until SIGINT or SIGTERM (SIGHUP reloads the
/// packs), then finishes the requests in flight. Returns the process exit code: 0 after a
/// clean stop, 2 when the packs, the ledger or the address cannot be had.
int run(const ServeOptions& options);

}  // namespace rulebook::serve
