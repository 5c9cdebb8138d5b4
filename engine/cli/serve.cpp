// rulebook serve: the engine as an HTTP/JSON service, recording every decision in the ledger.

#include "cli/commands.hpp"
#include "modules/loader.hpp"
#include "serve/server.hpp"

namespace rulebook::cli {
namespace {

struct ServeCli {
  serve::ServeOptions o;
  std::string listen = "127.0.0.1:8080";
  bool allow_remote = false;
  bool no_ledger = false;
  double request_timeout = 10, idle_timeout = 5, write_timeout = 10;
};

ExitCode run_serve(ServeCli& c) {
  auto colon = c.listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == c.listen.size()) {
    std::cerr << "rulebook serve: --listen expects ADDRESS:PORT, got '" << c.listen << "'\n";
    return ExitCode::bad_input;
  }
  std::string host = c.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    std::size_t used = 0;
    c.o.port = std::stoi(c.listen.substr(colon + 1), &used);
    if (used != c.listen.size() - colon - 1) throw std::invalid_argument("port");
  } catch (const std::exception&) {
    std::cerr << "rulebook serve: --listen: '" << c.listen.substr(colon + 1) << "' is not a port number\n";
    return ExitCode::bad_input;
  }
  c.o.host = host;
  if (c.no_ledger) c.o.db.clear();
  auto ms = [](double s) { return s < 0 || s > 3600 ? -1 : int(s * 1000); };
  c.o.request_timeout_ms = ms(c.request_timeout);
  c.o.idle_timeout_ms = ms(c.idle_timeout);
  c.o.write_timeout_ms = ms(c.write_timeout);
  if (auto why = serve::check_options(c.o, c.allow_remote); !why.empty()) {
    std::cerr << "rulebook serve: " << why << "\n";
    return ExitCode::bad_input;
  }
  // The service is a module of its own (serve/module.cpp): its libraries are loaded by this
  // command alone.
  constexpr const char* file = "librulebook_serve.so";
  const auto& serve_main = modules::load_once(file, "rulebook_serve_version", "rulebook_serve_main");
  if (!serve_main.address) {
    std::cerr << "rulebook serve: " << modules::module_error("cannot serve", file, serve_main.why) << "\n";
    return ExitCode::bad_input;
  }
  using Main = int (*)(const serve::ServeOptions*);
  return reinterpret_cast<Main>(serve_main.address)(&c.o) == 0 ? ExitCode::ok : ExitCode::bad_input;
}

}  // namespace

void add_serve(CLI::App& app, std::function<ExitCode()>& run) {
  auto c = std::make_shared<ServeCli>();
  c->o.db = "sqlite:rulebook-ledger.db";
  CLI::App* cmd = app.add_subcommand("serve", "Serve the packs over HTTP/JSON, recording every decision in the ledger.");
  cmd->add_option("--packs", c->o.packs, "folder whose sub-folders are rule packs (e.g. rules)")->required();
  cmd->add_option("--db", c->o.db, "the ledger: sqlite:PATH, a path, or postgresql://USER@HOST/DB")
      ->capture_default_str();
  cmd->add_flag("--no-ledger", c->no_ledger, "record nothing (trying packs out; decisions are not kept)");
  cmd->add_option("--listen", c->listen, "ADDRESS:PORT to listen on (port 0: any free port)")->capture_default_str();
  cmd->add_flag("--allow-remote", c->allow_remote, "allow an address other than loopback (put TLS in front)");
  cmd->add_option("--reviewer", c->o.reviewer, "reviewer recorded when a request has no X-Reviewer header")
      ->capture_default_str();
  const char* g = "Service limits";
  cmd->add_option("--threads", c->o.threads, "requests served at once (1…1024)")->capture_default_str()->group(g);
  cmd->add_option("--queue", c->o.queue, "connections waiting for a worker; more get 503 (0…100000)")
      ->capture_default_str()->group(g);
  cmd->add_option("--max-body", c->o.max_body, "largest request body, bytes (1024 … 1 GiB)")->capture_default_str()->group(g);
  cmd->add_option("--max-batch", c->o.max_batch, "most documents in one batch request (1…1000000)")
      ->capture_default_str()->group(g);
  cmd->add_option("--request-timeout", c->request_timeout, "seconds to receive a whole request")
      ->capture_default_str()->group(g);
  cmd->add_option("--idle-timeout", c->idle_timeout, "seconds a kept-alive connection may wait for its next request")
      ->capture_default_str()->group(g);
  cmd->add_option("--write-timeout", c->write_timeout, "seconds for each write of an answer")
      ->capture_default_str()->group(g);
  cmd->add_option("--keep-alive-max", c->o.keep_alive_max, "requests on one connection")->capture_default_str()->group(g);
  add_limit_options(*cmd, c->o.load, c->o.input, c->o.eval);
  cmd->footer(
      "Routes: schemas/openapi.json and docs/api.md. SIGHUP (or POST /admin/reload from loopback) reloads the\n"
      "packs atomically; SIGINT or SIGTERM stops after the requests in flight. Exit status 2: the packs, the\n"
      "ledger or the address could not be had.");
  cmd->callback([c, &run] { run = [c] { return run_serve(*c); }; });
}

}  // namespace rulebook::cli
