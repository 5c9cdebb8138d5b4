// The service's options judged where the program parses them, before the service's module is
// loaded (serve/module.cpp): a bad option is said as such, even where the module is missing.

#include "serve/server.hpp"

namespace rulebook::serve {

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string check_options(const ServeOptions& o, bool allow_remote) {
  if (!allow_remote && !is_loopback(o.host))
    return "--listen " + o.host + " is not a loopback address; a service reachable from the network needs "
           "--allow-remote (and a reverse proxy with TLS in front, see the README)";
  if (o.port < 0 || o.port > 65535) return "--listen: the port must be 0…65535";
  if (o.threads < 1 || o.threads > 1024) return "--threads must be 1…1024";
  if (o.queue > 100000) return "--queue must be 0…100000";
  if (o.max_body < 1024 || o.max_body > (std::size_t(1) << 30)) return "--max-body must be 1024 bytes … 1 GiB";
  if (o.max_batch < 1 || o.max_batch > 1'000'000) return "--max-batch must be 1…1000000";
  if (o.request_timeout_ms < 100 || o.request_timeout_ms > 3'600'000) return "--request-timeout must be 0.1…3600 s";
  if (o.idle_timeout_ms < 0 || o.idle_timeout_ms > 3'600'000) return "--idle-timeout must be 0…3600 s";
  if (o.write_timeout_ms < 100 || o.write_timeout_ms > 3'600'000) return "--write-timeout must be 0.1…3600 s";
  if (o.keep_alive_max < 1) return "--keep-alive-max must be at least 1";
  return {};
}

}  // namespace rulebook::serve
