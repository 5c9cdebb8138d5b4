// The C API (rulebook.h) over the C++ one. Every entry point catches everything: a C caller
// cannot unwind a C++ exception, so each failure becomes a status and a message.

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#include "report/json_writer.hpp"
#include "rulebook.h"
#include "rulebook/engine.hpp"
#include "rulebook/version.hpp"

struct rulebook_pack {
  rulebook::CompiledPack pack;
  std::string info;  // rulebook_pack_info's JSON, made once
};

struct rulebook_result {
  rulebook_status status = RULEBOOK_OK;
  rulebook_outcome outcome = RULEBOOK_NO_DECISION;
  std::string json, message;
};

namespace {

using rulebook::Error;

// A string the caller frees with rulebook_free (std::free): NULL when even that fails.
char* owned_copy(std::string_view s) noexcept {
  auto* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) return nullptr;
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

std::string info_json(const rulebook::PackInfo& info) {
  rulebook::JsonWriter w(true);
  w.open('{');
  w.field("id", info.id);
  w.field("version", info.version);
  w.text("title", info.title);
  w.key("rules");
  w.open('[');
  for (std::size_t i = 0; i < info.rule_ids.size(); ++i) {
    w.item();
    w.open('{');
    w.field("id", info.rule_ids[i]);
    w.strings("outputs", i < info.rule_outputs.size() ? info.rule_outputs[i] : std::vector<std::string>{});
    w.close('}');
  }
  w.close(']');
  w.close('}');
  return w.out;
}

rulebook_outcome outcome_of(rulebook::Outcome o) {
  switch (o) {
    case rulebook::Outcome::pass: return RULEBOOK_PASS;
    case rulebook::Outcome::fail: return RULEBOOK_FAIL;
    case rulebook::Outcome::needs_info: return RULEBOOK_NEEDS_INFO;
    case rulebook::Outcome::not_applicable: return RULEBOOK_NOT_APPLICABLE;
    case rulebook::Outcome::error: return RULEBOOK_RULE_ERROR;
  }
  return RULEBOOK_NO_DECISION;
}

// The refusal of a document, as batch writes it, and as the command line prints it.
void refuse(rulebook_result& r, rulebook_status status, const std::vector<Error>& errors) {
  r.status = status;
  r.outcome = RULEBOOK_NO_DECISION;
  std::string json = rulebook::to_json_line(errors, "-", 0, "");
  if (!json.empty() && json.back() == '\n') json.pop_back();
  r.json = std::move(json);
  r.message.clear();
  for (const auto& e : errors) r.message += e.to_string();
}

void check(rulebook_result& r, const rulebook_pack* pack, const char* json, std::size_t length, const char* as_of,
           unsigned flags) {
  auto argument = [&](std::string message) {
    refuse(r, RULEBOOK_ERROR_ARGUMENT, {Error{Error::Code::input, std::move(message), {}, {}, {}}});
  };
  if (!pack) return argument("rulebook_check: the pack is NULL");
  if (!json && length) return argument("rulebook_check: the document is NULL");
  if (!as_of) return argument("rulebook_check: the review date is NULL: rules never read a clock, name the day");
  if (flags & ~unsigned(RULEBOOK_TRACE | RULEBOOK_NUMBERS_AS_STRINGS))
    return argument("rulebook_check: unknown flags " + std::to_string(flags));
  auto day = rulebook::Date::parse(as_of);
  if (!day) return argument(std::string("rulebook_check: the review date must be YYYY-MM-DD, got '") + as_of + "'");

  auto doc = rulebook::Document::parse(std::string_view(json ? json : "", length), "-");
  if (!doc.document) return refuse(r, RULEBOOK_ERROR_JSON, doc.errors);
  if (auto problems = pack->pack.validate(*doc.document); !problems.empty())
    return refuse(r, RULEBOOK_ERROR_INPUT, problems);
  rulebook::EvalOptions eval;
  eval.as_of = *day;
  eval.trace = (flags & RULEBOOK_TRACE) != 0;
  eval.validate = false;  // just done, its problems returned as the input error
  rulebook::Decision d = pack->pack.evaluate(*doc.document, eval);
  std::string out = rulebook::to_json(d, {.numbers_as_strings = (flags & RULEBOOK_NUMBERS_AS_STRINGS) != 0});
  if (!out.empty() && out.back() == '\n') out.pop_back();
  r.status = RULEBOOK_OK;
  r.outcome = outcome_of(d.outcome);
  r.json = std::move(out);
  r.message.clear();
}

// What a handler of an unexpected exception says; it may not throw in turn (out of memory).
void internal(rulebook_result& r, const char* what) noexcept {
  r.status = RULEBOOK_ERROR_INTERNAL;
  r.outcome = RULEBOOK_NO_DECISION;
  r.json.clear();
  r.message.clear();
  try {
    r.json = "{}";
    r.message = std::string("rulebook_check: ") + what + "\n";
  } catch (...) {  // the message is then empty; the status still says what happened
  }
}

char* internal_message(const char* what) noexcept {
  try {
    return owned_copy(std::string("rulebook_pack_load: ") + what + "\n");
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

extern "C" {

const char* rulebook_version(void) { return rulebook::version().data(); }

const char* rulebook_status_name(rulebook_status status) {
  switch (status) {
    case RULEBOOK_OK: return "ok";
    case RULEBOOK_ERROR_ARGUMENT: return "argument";
    case RULEBOOK_ERROR_PACK: return "pack";
    case RULEBOOK_ERROR_JSON: return "json";
    case RULEBOOK_ERROR_INPUT: return "input";
    case RULEBOOK_ERROR_INTERNAL: return "internal";
  }
  return "unknown";
}

rulebook_status rulebook_pack_load(const char* dir, rulebook_pack** pack, char** error) {
  if (error) *error = nullptr;
  if (!pack) {
    if (error) *error = owned_copy("rulebook_pack_load: `pack` is NULL\n");
    return RULEBOOK_ERROR_ARGUMENT;
  }
  *pack = nullptr;
  if (!dir) {
    if (error) *error = owned_copy("rulebook_pack_load: the folder is NULL\n");
    return RULEBOOK_ERROR_ARGUMENT;
  }
  try {
    rulebook::LoadResult loaded = rulebook::load_pack(dir);
    if (!loaded.pack) {
      std::string all;
      for (const auto& e : loaded.errors) all += e.to_string();
      if (error) *error = owned_copy(all);
      return RULEBOOK_ERROR_PACK;
    }
    *pack = new rulebook_pack{*loaded.pack, info_json(loaded.pack->info())};
    return RULEBOOK_OK;
  } catch (const std::exception& e) {
    if (error) *error = internal_message(e.what());
  } catch (...) {
    if (error) *error = internal_message("unexpected failure");
  }
  return RULEBOOK_ERROR_INTERNAL;
}

void rulebook_pack_free(rulebook_pack* pack) { delete pack; }

const char* rulebook_pack_info(const rulebook_pack* pack) { return pack ? pack->info.c_str() : "{}"; }

rulebook_status rulebook_check(const rulebook_pack* pack, const char* json, size_t length, const char* as_of,
                               unsigned flags, rulebook_result** result) {
  if (!result) return RULEBOOK_ERROR_ARGUMENT;
  *result = new (std::nothrow) rulebook_result;
  if (!*result) return RULEBOOK_ERROR_INTERNAL;
  rulebook_result& r = **result;
  try {
    check(r, pack, json, length, as_of, flags);
  } catch (const std::exception& e) {
    internal(r, e.what());
  } catch (...) {
    internal(r, "unexpected failure");
  }
  return r.status;
}

rulebook_status rulebook_result_status(const rulebook_result* result) {
  return result ? result->status : RULEBOOK_ERROR_ARGUMENT;
}

rulebook_outcome rulebook_result_outcome(const rulebook_result* result) {
  return result ? result->outcome : RULEBOOK_NO_DECISION;
}

const char* rulebook_result_json(const rulebook_result* result) { return result ? result->json.c_str() : "{}"; }

const char* rulebook_result_message(const rulebook_result* result) {
  return result ? result->message.c_str() : "the result is NULL";
}

void rulebook_result_free(rulebook_result* result) { delete result; }

void rulebook_free(void* p) { std::free(p); }

}  // extern "C"
