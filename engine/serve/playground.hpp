#pragma once
// The drafter's playground as routes of `rulebook serve` (schemas/openapi.json): list and read
// a pack's rule files, try an edit (lint at line:col, cases rerun, diff over the examples)
// without writing anything, and save it — only when asked, only from the machine itself.

#include <functional>
#include <memory>
#include <string>

#include "serve/pack_set.hpp"
#include "serve/server.hpp"

namespace httplib {
class Server;
struct Request;
}

namespace rulebook::serve {

/// What the routes need of the service that registers them.
struct PlaygroundHost {
  std::shared_ptr<PackRegistry> registry;
  std::function<PackSetResult()> reload;          ///< the service's reload (counted in its metrics)
  std::function<void(const char*)> name_route;    ///< names the request's route for the log and metrics
  std::function<bool(const httplib::Request&)> local;  ///< whether a request is the operator's (server.cpp)
  const ServeOptions& options;
};

/// GET /packs/{id}/files, GET and POST /packs/{id}/files/{name}, POST /packs/{id}/draft.
void add_playground_routes(httplib::Server& http, PlaygroundHost host);

}  // namespace rulebook::serve
