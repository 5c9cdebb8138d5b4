/* The C API as a C program uses it: linked against librulebook.so with a C compiler, one pack
 * shared by several threads, every error a status and a message. Run under ASan+UBSan and TSan
 * by scripts/sanitize.sh.
 *   c_api_test PACK_DIR DOCUMENT   (rules/dongsheng-2024, examples/dongsheng-2024/multi.json) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rulebook.h"

static int failed = 0;
#define CHECK(cond, ...)                             \
  do {                                               \
    if (!(cond)) {                                   \
      ++failed;                                      \
      printf("FAIL line %d: %s: ", __LINE__, #cond); \
      printf(__VA_ARGS__);                           \
      printf("\n");                                  \
    }                                                \
  } while (0)

static char* read_file(const char* path, size_t* length) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = malloc((size_t)n + 1);
  *length = fread(text, 1, (size_t)n, f);
  text[*length] = '\0';
  fclose(f);
  return text;
}

struct job {
  const rulebook_pack* pack;
  const char* json;
  size_t length;
  const char* expected;
  int mismatches;
};

/* Many checks on the one shared pack; each answer must be the single-threaded one. */
static void* work(void* arg) {
  struct job* j = arg;
  for (int i = 0; i < 25; ++i) {
    rulebook_result* r = NULL;
    rulebook_check(j->pack, j->json, j->length, "2025-06-30", 0, &r);
    if (rulebook_result_status(r) != RULEBOOK_OK || strcmp(rulebook_result_json(r), j->expected) != 0) ++j->mismatches;
    rulebook_result_free(r);
  }
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c_api_test PACK_DIR DOCUMENT\n");
    return 2;
  }
  const char* dir = argv[1];
  const char* file = argv[2];

  CHECK(strcmp(rulebook_version(), RULEBOOK_VERSION_STRING) == 0, "%s vs %s", rulebook_version(),
        RULEBOOK_VERSION_STRING);
  CHECK(strcmp(rulebook_status_name(RULEBOOK_ERROR_INPUT), "input") == 0, "%s",
        rulebook_status_name(RULEBOOK_ERROR_INPUT));

  /* A folder that holds no pack: the status and the CLI's message. */
  rulebook_pack* pack = (rulebook_pack*)1;
  char* why = NULL;
  CHECK(rulebook_pack_load("/nonexistent/pack", &pack, &why) == RULEBOOK_ERROR_PACK, "status");
  CHECK(pack == NULL, "pack set on failure");
  CHECK(why && strstr(why, "/nonexistent/pack"), "message: %s", why ? why : "(null)");
  rulebook_free(why);
  CHECK(rulebook_pack_load(NULL, &pack, NULL) == RULEBOOK_ERROR_ARGUMENT, "NULL folder");

  why = NULL;
  if (rulebook_pack_load(dir, &pack, &why) != RULEBOOK_OK) {
    printf("FAIL cannot load %s: %s\n", dir, why ? why : "");
    rulebook_free(why);
    return 1;
  }
  CHECK(strstr(rulebook_pack_info(pack), "\"id\": \"dongsheng-2024\"") != NULL, "info: %s", rulebook_pack_info(pack));
  CHECK(strstr(rulebook_pack_info(pack), "\"DS-01\"") != NULL, "info: %s", rulebook_pack_info(pack));

  size_t length = 0;
  char* json = read_file(file, &length);
  CHECK(json != NULL, "cannot read %s", file);
  if (!json) return 1;

  /* A decision: outcome, and money with the digits the rule gives. */
  rulebook_result* r = NULL;
  CHECK(rulebook_check(pack, json, length, "2025-06-30", 0, &r) == RULEBOOK_OK, "%s", rulebook_result_message(r));
  CHECK(rulebook_result_outcome(r) == RULEBOOK_PASS, "outcome %d", rulebook_result_outcome(r));
  CHECK(strstr(rulebook_result_json(r), "\"total\": 500000.00") != NULL, "json: %.300s", rulebook_result_json(r));
  CHECK(strcmp(rulebook_result_message(r), "") == 0, "message on success: %s", rulebook_result_message(r));
  char* expected = strdup(rulebook_result_json(r));
  rulebook_result_free(r);

  /* For JavaScript: numbers as strings. */
  rulebook_check(pack, json, length, "2025-06-30", RULEBOOK_NUMBERS_AS_STRINGS, &r);
  CHECK(strstr(rulebook_result_json(r), "\"total\": \"500000.00\"") != NULL, "json: %.300s", rulebook_result_json(r));
  rulebook_result_free(r);

  /* No review date, a bad one, unknown flags: refused, never a default. */
  CHECK(rulebook_check(pack, json, length, NULL, 0, &r) == RULEBOOK_ERROR_ARGUMENT, "NULL as_of");
  CHECK(strstr(rulebook_result_message(r), "review date") != NULL, "%s", rulebook_result_message(r));
  CHECK(rulebook_result_outcome(r) == RULEBOOK_NO_DECISION, "outcome");
  rulebook_result_free(r);
  CHECK(rulebook_check(pack, json, length, "2025-02-30", 0, &r) == RULEBOOK_ERROR_ARGUMENT, "bad date");
  CHECK(strstr(rulebook_result_message(r), "2025-02-30") != NULL, "%s", rulebook_result_message(r));
  rulebook_result_free(r);
  CHECK(rulebook_check(pack, json, length, "2025-06-30", 64, &r) == RULEBOOK_ERROR_ARGUMENT, "flags");
  rulebook_result_free(r);
  CHECK(rulebook_check(NULL, json, length, "2025-06-30", 0, &r) == RULEBOOK_ERROR_ARGUMENT, "NULL pack");
  rulebook_result_free(r);
  CHECK(rulebook_check(pack, json, length, "2025-06-30", 0, NULL) == RULEBOOK_ERROR_ARGUMENT, "NULL result");

  /* Malformed JSON: line and column, as the command line says them. */
  const char* broken = "{\n  \"applicant\": [1,\n}";
  CHECK(rulebook_check(pack, broken, strlen(broken), "2025-06-30", 0, &r) == RULEBOOK_ERROR_JSON, "broken");
  CHECK(strstr(rulebook_result_message(r), "-:3:") != NULL, "message: %s", rulebook_result_message(r));
  CHECK(strstr(rulebook_result_json(r), "\"outcome\": \"invalid\"") != NULL, "json: %s", rulebook_result_json(r));
  rulebook_result_free(r);
  /* A length shorter than the text: only that much is read. */
  CHECK(rulebook_check(pack, json, 1, "2025-06-30", 0, &r) == RULEBOOK_ERROR_JSON, "cut");
  rulebook_result_free(r);

  /* Well-formed but against the schema: JSON paths. */
  const char* wrong = "{\"applicant\": {\"name\": 7}}";
  CHECK(rulebook_check(pack, wrong, strlen(wrong), "2025-06-30", 0, &r) == RULEBOOK_ERROR_INPUT, "schema");
  CHECK(strstr(rulebook_result_message(r), "$.") != NULL, "message: %s", rulebook_result_message(r));
  rulebook_result_free(r);

  /* One pack, four threads. */
  pthread_t threads[4];
  struct job jobs[4];
  for (int t = 0; t < 4; ++t) {
    jobs[t] = (struct job){pack, json, length, expected, 0};
    pthread_create(&threads[t], NULL, work, &jobs[t]);
  }
  for (int t = 0; t < 4; ++t) {
    pthread_join(threads[t], NULL);
    CHECK(jobs[t].mismatches == 0, "thread %d: %d answers differ", t, jobs[t].mismatches);
  }

  rulebook_result_free(NULL);
  rulebook_pack_free(NULL);
  rulebook_pack_free(pack);
  free(expected);
  free(json);
  printf("c_api: %s\n", failed ? "FAILED" : "ok");
  return failed ? 1 : 0;
}
