/* rulebook.h: the C API of rulebook, for C and for any language with a foreign-function
 * interface. Load a rule pack once, then check JSON documents against it from any number of
 * threads. Text in and out is UTF-8; documents and decisions are JSON (the decision as
 * documented by schemas/decision.schema.json). No C++ exception crosses this interface: every
 * failure is a status and a message.
 *
 *   rulebook_pack* pack;
 *   char* why;
 *   if (rulebook_pack_load("rules/dongsheng-2024", &pack, &why) != RULEBOOK_OK) { puts(why); rulebook_free(why); }
 *   rulebook_result* r;
 *   rulebook_check(pack, json, strlen(json), "2025-06-30", 0, &r);
 *   puts(rulebook_result_status(r) == RULEBOOK_OK ? rulebook_result_json(r) : rulebook_result_message(r));
 *   rulebook_result_free(r);
 *   rulebook_pack_free(pack);
 */
#ifndef RULEBOOK_H
#define RULEBOOK_H

#include <stddef.h>

#include "rulebook/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The library's version, "MAJOR.MINOR.PATCH": the library loaded at run time, which may be
 * newer than RULEBOOK_VERSION_STRING, the header compiled against. */
const char* rulebook_version(void);

/** How a call ended. */
typedef enum rulebook_status {
  RULEBOOK_OK = 0,
  RULEBOOK_ERROR_ARGUMENT = 1, /**< a null pointer, a review date that is not YYYY-MM-DD, unknown flags */
  RULEBOOK_ERROR_PACK = 2,     /**< the pack could not be loaded: each problem at file:line:col */
  RULEBOOK_ERROR_JSON = 3,     /**< the document is not well-formed JSON (line:col), or too large or deep */
  RULEBOOK_ERROR_INPUT = 4,    /**< the document breaks the pack's subject schema (JSON paths) */
  RULEBOOK_ERROR_INTERNAL = 5  /**< out of memory, or a defect: the message says what */
} rulebook_status;

/** "ok", "argument", "pack", "json", "input", "internal"; never NULL. */
const char* rulebook_status_name(rulebook_status status);

/** A document's outcome: the worst of its rules' (see the decision JSON's "outcome"). */
typedef enum rulebook_outcome {
  RULEBOOK_PASS = 0,
  RULEBOOK_FAIL = 1,
  RULEBOOK_NEEDS_INFO = 2,
  RULEBOOK_NOT_APPLICABLE = 3,
  RULEBOOK_RULE_ERROR = 4,  /**< a rule could not be evaluated (its error is in the decision) */
  RULEBOOK_NO_DECISION = -1 /**< the call failed: there is no decision */
} rulebook_outcome;

/** A loaded, checked and compiled pack. Immutable: rulebook_check may be called on one pack from
 * many threads at once. Free it with rulebook_pack_free once no call uses it. */
typedef struct rulebook_pack rulebook_pack;

/** The answer of one rulebook_check. Owned by the caller; its strings live as long as it does. */
typedef struct rulebook_result rulebook_result;

/** Loads the pack in the folder `dir` (pack.yaml and its rule files; schemas and imported packs
 * found beside it, or under RULEBOOK_HOME). On success sets *pack and returns RULEBOOK_OK. On
 * failure sets *pack to NULL and, when `error` is not NULL, *error to every problem found, as
 * the command line prints them ("file:line:col: error: ..."); free it with rulebook_free. */
rulebook_status rulebook_pack_load(const char* dir, rulebook_pack** pack, char** error);

/** Frees a pack; NULL is allowed. */
void rulebook_pack_free(rulebook_pack* pack);

/** Facts about the pack as JSON: {"id", "version", "title": {"zh", "en"}, "rules": [{"id", "outputs": [...]}]}.
 * Valid while the pack is. */
const char* rulebook_pack_info(const rulebook_pack* pack);

/** Flags of rulebook_check, or-ed together. */
enum {
  RULEBOOK_TRACE = 1,             /**< record each rule's trace (the values that decided it) */
  RULEBOOK_NUMBERS_AS_STRINGS = 2 /**< numbers in the decision as JSON strings ("500000.00"), for JavaScript */
};

/** Checks the JSON document `json` (`length` bytes of UTF-8) against `pack` on the review date
 * `as_of` ("YYYY-MM-DD", required: rules never read a clock). The document is validated against
 * the pack's schema first. Always sets *result (NULL only when even that could not be allocated,
 * with RULEBOOK_ERROR_INTERNAL); the status is also rulebook_result_status(*result).
 * Thread-safe: calls may share the pack, each with its own result. */
rulebook_status rulebook_check(const rulebook_pack* pack, const char* json, size_t length, const char* as_of,
                               unsigned flags, rulebook_result** result);

/** The status of the call that made `result`. */
rulebook_status rulebook_result_status(const rulebook_result* result);
/** The document's outcome, or RULEBOOK_NO_DECISION when the call failed. */
rulebook_outcome rulebook_result_outcome(const rulebook_result* result);
/** On RULEBOOK_OK the decision as JSON. Otherwise the problems as JSON, the record batch writes
 * for an input it refuses: {"line": 0, "id": null, "document": "-", "outcome": "invalid",
 * "errors": [{"message", "json_path", "at"}]}. Never NULL. */
const char* rulebook_result_json(const rulebook_result* result);
/** The problems as the command line prints them (each with its line:col or JSON path); "" on
 * RULEBOOK_OK. Never NULL. */
const char* rulebook_result_message(const rulebook_result* result);
/** Frees a result and its strings; NULL is allowed. */
void rulebook_result_free(rulebook_result* result);

/** Frees a string this API returned for the caller to own (rulebook_pack_load's error). */
void rulebook_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* RULEBOOK_H */
