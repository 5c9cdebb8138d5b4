// The ledger: both stores through one interface (SQLite always; PostgreSQL when the test
// wrapper started a cluster, and then it must be there in CI), migrations from a hand-made
// version-1 ledger, append-only enforcement, superseding, figures, hashes and exports.

#include "ledger/ledger.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <random>
#include <set>

#include "ledger/figures.hpp"
#include "ledger/pack_hash.hpp"
#include "ledger/recorder.hpp"
#include "ledger/schema_sql.hpp"
#include "ledger/sha256.hpp"
#include "rulebook/report.hpp"
#include "support.hpp"
#include "value/credit_code.hpp"

using namespace rulebook;
using namespace rulebook::ledger;

namespace {

std::string unique(const std::string& prefix) {
  static std::mt19937_64 rng{std::random_device{}()};
  return prefix + "-" + std::to_string(rng() % 1'000'000'000);
}

// The stores under test, as URLs. In CI, a missing PostgreSQL is a failure, never a skip.
std::vector<std::string> store_urls(const test::TempDir& dir) {
  std::vector<std::string> urls = {"sqlite:" + (dir.path / "ledger.db").string()};
  if (const char* pg = std::getenv("RULEBOOK_TEST_PG_URL"); pg && *pg) {
    urls.emplace_back(pg);
  } else {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL_CHECK("CI=true but RULEBOOK_TEST_PG_URL is not set: PostgreSQL untested");
    else MESSAGE("PostgreSQL not tested here: run through tests/ledger_test.sh to start a cluster");
  }
  return urls;
}

Record sample(const std::string& pack, std::optional<std::string> app, std::optional<std::string> credit,
              std::string decision = "{}") {
  Record r;
  r.reviewer = "张三";
  r.applicant_name = "东胜区科创技术转移服务中心";
  r.credit_code = std::move(credit);
  r.application_id = std::move(app);
  r.pack_id = pack;
  r.pack_version = "1.0.0";
  r.pack_hash = std::string(64, 'a');
  r.as_of = "2025-06-30";
  r.input_hash = sha256_hex("{}");
  r.outcome = "pass";
  r.decision_json = std::move(decision);
  r.engine_version = engine_version();
  return r;
}

}  // namespace

TEST_CASE("SHA-256 of the FIPS 180-4 examples and across block boundaries") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string million(1'000'000, 'a');
  CHECK(sha256_hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Fed in odd pieces, the same digest.
  Sha256 s;
  for (std::size_t i = 0; i < million.size(); i += 997) s.update(std::string_view(million).substr(i, 997));
  CHECK(s.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("record ids are time-ordered UUIDs version 7, never repeated") {
  std::set<std::string> seen;
  std::string last;
  for (int i = 0; i < 2000; ++i) {
    std::string id = new_record_id();
    REQUIRE(id.size() == 36);
    CHECK(id[14] == '7');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    CHECK(seen.insert(id).second);
    CHECK(id.substr(0, 13) >= last.substr(0, std::min<std::size_t>(13, last.size())));
    last = id;
  }
}

TEST_CASE("a store appends, finds, lists and supersedes a re-review, keeping the old record") {
  test::TempDir dir;
  for (const auto& url : store_urls(dir)) {
    CAPTURE(url);
    auto l = open_ledger(url);
    CHECK(l->schema_version() == current_schema_version);
    std::string pack = unique("pack"), app = unique("app");
    auto first = l->append({sample(pack, app, "91110000600037341L")});
    REQUIRE(first.size() == 1);
    CHECK(first[0].seq > 0);
    CHECK(!first[0].supersedes);
    auto second = l->append({sample(pack, app, "91110000600037341L")});
    CHECK(second[0].supersedes == first[0].id);
    auto old = l->find(first[0].id);
    REQUIRE(old);
    CHECK(old->superseded_by == second[0].id);
    CHECK(old->reviewer == "张三");
    CHECK(old->applicant_name == first[0].applicant_name);
    // By seq as well as by id.
    REQUIRE(l->find(std::to_string(second[0].seq)));
    CHECK(l->find(std::to_string(second[0].seq))->id == second[0].id);
    Query q;
    q.pack_id = pack;
    CHECK(l->list(q).size() == 2);
    q.current_only = true;
    auto current = l->list(q);
    REQUIRE(current.size() == 1);
    CHECK(current[0].id == second[0].id);
    // A record without an application id supersedes nothing.
    auto loose = l->append({sample(pack, std::nullopt, std::nullopt)});
    CHECK(!loose[0].supersedes);
    CHECK(!loose[0].credit_code);
    CHECK(l->list(q).size() == 2);
    // Two reviews of one application in one transaction: the second supersedes the first.
    std::string app2 = unique("app");
    auto both = l->append({sample(pack, app2, std::nullopt), sample(pack, app2, std::nullopt)});
    CHECK(both[1].supersedes == both[0].id);
    CHECK(!l->find("no-such-id"));
  }
}

TEST_CASE("nothing is written when the decision inside a transaction throws") {
  test::TempDir dir;
  for (const auto& url : store_urls(dir)) {
    CAPTURE(url);
    auto l = open_ledger(url);
    std::string pack = unique("pack");
    CHECK_THROWS_AS(l->transact({unit_key(pack, "x")},
                                [&](History&) -> std::vector<Record> {
                                  throw LedgerError("evaluation failed");
                                }),
                    LedgerError);
    Query q;
    q.pack_id = pack;
    CHECK(l->list(q).empty());
  }
}

TEST_CASE("the stores refuse to change or delete a record") {
  test::TempDir dir;
  auto urls = store_urls(dir);
  auto l = open_ledger(urls[0]);
  auto r = l->append({sample("p", "a", "c")});
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir.path / "ledger.db").string().c_str(), &db) == SQLITE_OK);
  auto exec = [&](const std::string& sql) { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr); };
  CHECK(exec("DELETE FROM decisions") != SQLITE_OK);
  CHECK(exec("UPDATE decisions SET decision_json = '{\"forged\": 1}'") != SQLITE_OK);
  CHECK(exec("UPDATE decisions SET superseded_by = NULL") != SQLITE_OK);
  CHECK(exec("UPDATE decisions SET input = '{\"forged\": 1}'") != SQLITE_OK);
  CHECK(exec("UPDATE decisions SET ledger_figures = '{}'") != SQLITE_OK);
  sqlite3_close(db);
  CHECK(l->find(r[0].id)->decision_json == "{}");
  if (urls.size() > 1) {
    auto pg = open_ledger(urls[1]);
    auto p = pg->append({sample(unique("p"), unique("a"), "c")});
    pqxx::connection c(urls[1]);
    for (std::string sql : {"DELETE FROM decisions WHERE id = $1", "UPDATE decisions SET decision_json = 'x' WHERE id = $1",
                            "UPDATE decisions SET reviewer = 'someone else' WHERE id = $1",
                            "UPDATE decisions SET input = 'x' WHERE id = $1"}) {
      CAPTURE(sql);
      pqxx::work w(c);
      CHECK_THROWS(w.exec_params(sql, p[0].id));
    }
    CHECK(pg->find(p[0].id)->decision_json == "{}");
  }
}

TEST_CASE("a ledger written at schema version 1 opens in this version, its records intact") {
  test::TempDir dir;
  std::string path = (dir.path / "v1.db").string();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  // Exactly what version 1 created, written by hand (not by the code under test).
  std::string v1 = R"(
    CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL DEFAULT '');
    INSERT INTO schema_migrations VALUES (1, '2025-01-02T03:04:05.000Z', 'decisions');
    CREATE TABLE decisions (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, recorded_at TEXT NOT NULL,
      reviewer TEXT NOT NULL, applicant_name TEXT, credit_code TEXT, application_id TEXT, pack_id TEXT NOT NULL,
      pack_version TEXT NOT NULL, as_of TEXT NOT NULL, input_hash TEXT NOT NULL, outcome TEXT NOT NULL,
      decision_json TEXT NOT NULL, superseded_by TEXT REFERENCES decisions(id));
    INSERT INTO decisions (id, recorded_at, reviewer, applicant_name, credit_code, application_id, pack_id, pack_version,
      as_of, input_hash, outcome, decision_json)
      VALUES ('old-1', '2025-01-02T03:04:05.000Z', '李四', '某机构', '91110000600037341L', 'A-1', 'dongsheng-2024',
      '1.0.0', '2025-01-02', 'abc', 'pass', '{"outcome": "pass"}');)";
  REQUIRE(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  auto l = open_ledger(path);
  CHECK(l->schema_version() == current_schema_version);
  auto old = l->find("old-1");
  REQUIRE(old);
  CHECK(old->reviewer == "李四");
  CHECK(old->decision_json == "{\"outcome\": \"pass\"}");
  CHECK(old->pack_hash.empty());
  CHECK(old->engine_version.empty());
  CHECK(!old->input);  // kept only since version 3
  CHECK(!old->ledger_figures);
  // A re-review of that application supersedes it under the new schema.
  auto next = l->append({sample("dongsheng-2024", "A-1", "91110000600037341L")});
  CHECK(next[0].supersedes == "old-1");
  CHECK(l->find("old-1")->superseded_by == next[0].id);
  // Opening again applies nothing twice.
  CHECK(open_ledger(path)->schema_version() == current_schema_version);

  if (const char* url = std::getenv("RULEBOOK_TEST_PG_URL_V1"); url && *url) {
    {
      pqxx::connection c(url);
      pqxx::work w(c);
      w.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL DEFAULT '')");
      w.exec("INSERT INTO schema_migrations VALUES (1, '2025-01-02T03:04:05.000Z', 'decisions')");
      w.exec(std::string(postgres_migrations().at(0).sql));
      w.exec("INSERT INTO decisions (id, recorded_at, reviewer, pack_id, pack_version, as_of, input_hash, outcome, "
             "decision_json, application_id) VALUES ('old-pg', 'x', '李四', 'p', '1', '2025-01-02', 'h', 'fail', '{}', 'A-9')");
      w.commit();
    }
    auto pg = open_ledger(url);
    CHECK(pg->schema_version() == current_schema_version);
    REQUIRE(pg->find("old-pg"));
    CHECK(pg->append({sample("p", "A-9", std::nullopt)})[0].supersedes == "old-pg");
  }
}

TEST_CASE("a ledger from a newer rulebook is refused, not damaged") {
  test::TempDir dir;
  std::string path = (dir.path / "future.db").string();
  { open_ledger(path); }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (99, 'x', 'future')", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  sqlite3_close(db);
  CHECK_THROWS_WITH_AS(open_ledger(path), doctest::Contains("newer than this rulebook"), LedgerError);
  CHECK_THROWS_AS(open_ledger("mysql://x"), LedgerError);
  CHECK_THROWS_AS(open_ledger((dir.path / "no/such/dir/x.db").string()), LedgerError);
}

TEST_CASE("a PostgreSQL URL's password is never in a message, however its parameter is spelled") {
  // No server at the socket folder: the connection fails and its message names the URL.
  for (std::string key : {"password", "PASSWORD", "p%61ssword", "pass%77ord"}) {
    std::string url = "postgresql:///ledger?host=/nonexistent-rulebook&" + key + "=Secret-77&application_name=rb";
    std::string message;
    try {
      open_ledger(url);
    } catch (const LedgerError& e) {
      message = e.what();
    }
    CAPTURE(key);
    CHECK(message.find("cannot connect to the ledger") != std::string::npos);
    CHECK(message.find("Secret-77") == std::string::npos);
    CHECK(message.find(key + "=***&application_name=rb") != std::string::npos);
  }
  std::string message;
  try {
    open_ledger("postgresql://rb:Secret-78@/ledger?host=/nonexistent-rulebook");
  } catch (const LedgerError& e) {
    message = e.what();
  }
  CHECK(message.find("Secret-78") == std::string::npos);
  CHECK(message.find("postgresql://rb:***@/ledger") != std::string::npos);
  // libpq's own message quotes what it cannot read; a password holding @ or / is misread; a URL
  // of another scheme or a connection string were echoed whole (helper-88).
  const std::pair<std::string, std::vector<std::string>> leaks[] = {
      {"postgresql://u:S3C%zzRET@127.0.0.1:1/db", {"S3C%zzRET", "zzRET"}},
      {"postgresql:///db?host=/nonexistent-rulebook&password=S3C%00RETf", {"S3C%00RETf", "RETf"}},
      {"postgresql://u:S3C/RETb@127.0.0.1:1/db", {"S3C", "RETb"}},
      {"postgresql://u:S3C@RETc@127.0.0.1:1/db", {"S3C", "RETc"}},
      {"POSTGRESQL://u:S3CRET1@127.0.0.1:1/db", {"S3CRET1"}},
      {"host=127.0.0.1 port=1 password=S3CRET6", {"S3CRET6"}},
  };
  auto said_opening = [](const std::string& url) {  // the message of the store that would not open
    try {
      open_ledger(url);
    } catch (const LedgerError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  for (const auto& [url, secrets] : leaks) {
    std::string said = said_opening(url);
    CAPTURE(url);
    CAPTURE(said);
    CHECK_FALSE(said.empty());
    for (const auto& secret : secrets) CHECK(said.find(secret) == std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists("host=127.0.0.1 port=1 password=S3CRET6"));  // no file made of it
  // The URL a message names has each password replaced, as written wherever libpq reads it: one
  // password found for the message and another for the URL showed a short one (< 3 characters,
  // not told apart in a message) where the user's name held @ or /.
  const std::pair<std::string, std::string> redacted[] = {
      {"postgresql://u:S3C@RETc@127.0.0.1:1/db", "postgresql://u:***@127.0.0.1:1/db"},
      {"postgresql://u:S3C/RETb@127.0.0.1:1/db", "postgresql://u:***@127.0.0.1:1/db"},
      {"postgresql://u:@127.0.0.1:1/db", "postgresql://u:***@127.0.0.1:1/db"},
      {"postgresql://a@b:pw@127.0.0.1:1/db", "postgresql://a@b:***@127.0.0.1:1/db"},
      {"postgresql://u:pw@127.0.0.1:1/db?password=p2&Password=&sslmode=disable",
       "postgresql://u:***@127.0.0.1:1/db?password=***&Password=***&sslmode=disable"},
  };
  for (const auto& [url, want] : redacted) {
    std::string said = said_opening(url);
    CAPTURE(url);
    CAPTURE(said);
    CHECK(said.find(want) != std::string::npos);
  }
}

TEST_CASE("figures: received sums earlier passing totals exactly; paid lists the keys or names paid") {
  auto decision = [](const char* outcome, const char* total, const char* amounts, const char* keys,
                     const char* numbers) {
    return std::string(R"({"rules": [{"id": "DS-01", "outcome": ")") + outcome + R"(", "outputs": {"total": )" + total +
           R"(, "amounts": )" + amounts + R"(, "numbers": )" + numbers + R"(}, "items": )" + keys + "}]}";
  };
  std::vector<Record> prior = {
      sample("d", "A", "c",
             decision("pass", "0.10", "[0.10, 0]", R"([{"key": "T1"}, {"key": "T2"}])", R"(["HT-1", "HT-2"])")),
      sample("d", "B", "c",
             decision("pass", "0.20", "[0.00, 0.20]", R"([{"key": "T3"}, {"key": "T4"}])", R"(["HT-3", "HT-4"])")),
      sample("d", "C", "c", decision("fail", "99", "[99]", R"([{"key": "T9"}])", R"(["HT-9"])")),
  };
  LedgerFigures f;
  auto spec = [](std::string name, std::string sum, std::string paid_items, std::string keys,
                 std::vector<std::string> outcomes) {
    FigureSpec one;
    one.name = std::move(name);
    one.rule = "DS-01";
    one.sum = std::move(sum);
    one.paid_items = std::move(paid_items);
    one.keys = std::move(keys);
    one.outcomes = std::move(outcomes);
    return one;
  };
  f.specs.push_back(spec("received", "total", "", "", {"pass"}));
  f.specs.push_back(spec("paid", "", "amounts", "", {}));
  // The same items named by a parallel output, of passing decisions only.
  f.specs.push_back(spec("numbers", "", "amounts", "numbers", {"pass"}));
  Value v = compute_figures(f, prior);
  REQUIRE(v.kind() == Kind::object);
  const Value* received = v.as_object().find("received");
  REQUIRE(received);
  CHECK(received->as_number() == *Decimal::parse("0.3"));  // exact: 0.1 + 0.2 == 0.3
  const Value* paid = v.as_object().find("paid");
  REQUIRE(paid);
  std::vector<std::string> keys;
  for (const auto& k : paid->as_list().items) keys.push_back(k.as_string());
  CHECK(keys == std::vector<std::string>{"T1", "T4", "T9"});
  keys.clear();
  for (const auto& k : v.as_object().find("numbers")->as_list().items) keys.push_back(k.as_string());
  CHECK(keys == std::vector<std::string>{"HT-1", "HT-4"});  // HT-3 had nothing; C's HT-9 is not a pass

  // A decision recorded before the `numbers` output existed: named from its input as received.
  Record old = sample("d", "D", "c", R"({"rules": [{"id": "DS-01", "outcome": "pass", "outputs": {"total": 0.5,
    "amounts": [0.5, 0, 0.1]}, "items": [{"key": "T1"}, {"key": "T2"}, {"key": "T3"}]}]})");
  old.input =
      R"({"transactions": [{"contract": {"number": "HT-7"}}, {"contract": {"number": "HT-8"}}, {"contract": {}}]})";
  prior.push_back(old);
  f.specs[2].keys_in_input = "transactions[].contract.number";
  keys.clear();
  Value with_old = compute_figures(f, prior);
  for (const auto& k : with_old.as_object().find("numbers")->as_list().items) keys.push_back(k.as_string());
  CHECK(keys == std::vector<std::string>{"HT-1", "HT-4", "HT-7"});  // HT-8 had nothing, T3 no number
  CHECK(v.as_object().find("decisions")->as_number() == Decimal(3));

  // A stored record is read once for all later decisions (with 2,000 of one unit, each decision
  // took a second); one not yet stored (no id) every time; a full cache starts again.
  Contributions cache(2);
  prior[0].id = "r0";
  prior[1].id = "r1";
  auto first = cache.of(f, prior[0]);
  CHECK(cache.of(f, prior[0]) == first);
  CHECK(first->parts[0].amount == *Decimal::parse("0.10"));
  CHECK(first->parts[1].names == std::vector<std::string>{"T1"});
  cache.of(f, prior[1]);
  CHECK(cache.of(f, prior[3]) != cache.of(f, prior[3]));  // no id: read every time
  prior[2].id = "r2";
  cache.of(f, prior[2]);  // the third: the cache is emptied first
  CHECK(cache.of(f, prior[0]) != first);

  // $.ledger replaces whatever the applicant sent there.
  auto doc = Document::parse(R"({"ledger": {"received": 0}, "x": 1})", "d.json");
  REQUIRE(doc.document);
  Document with = with_ledger(*doc.document, v);
  const Value* l = with.root().as_object().find("ledger");
  REQUIRE(l);
  CHECK(l->as_object().find("received")->as_number() == *Decimal::parse("0.3"));
  CHECK(with.root().as_object().find("x"));
}

TEST_CASE("a pack's ledger/figures.yaml: errors name file:line:col") {
  test::TempDir dir;
  std::vector<Error> errors;
  CHECK(load_figures(dir.path, errors).empty());
  CHECK(errors.empty());
  std::filesystem::create_directories(dir.path / "ledger");
  dir.write("ledger/figures.yaml", "figures:\n  received: {rule: DS-01, sum: total, outcomes: [pass]}\n  paid: {rule: DS-01, paid_items: amounts}\n");
  auto f = load_figures(dir.path, errors);
  CHECK(errors.empty());
  REQUIRE(f.specs.size() == 2);
  CHECK(f.specs[0].outcomes == std::vector<std::string>{"pass"});
  // The project's own file loads, its keys_in_input with it.
  auto project = load_figures(test::source_dir() / "rules/dongsheng-2024", errors);
  CHECK(errors.empty());
  REQUIRE(project.specs.size() == 2);
  CHECK(project.specs[1].keys_in_input == "transactions[].contract.number");
  dir.write("ledger/figures.yaml", "figures:\n  received: {rule: DS-01, summ: total}\n");
  load_figures(dir.path, errors);
  REQUIRE(!errors.empty());
  CHECK(errors[0].loc.line == 2);
  CHECK(errors[0].to_string().find("figures.yaml:2:") != std::string::npos);
}

TEST_CASE("the pack hash follows content, imports and the subject schema, not the checkout's place") {
  auto dir = test::source_dir() / "rules/dongsheng-2024";
  std::string h = pack_hash(dir);
  CHECK(h.size() == 64);
  CHECK(pack_hash(dir) == h);
  CHECK(pack_hash(test::source_dir() / "rules/../rules/dongsheng-2024") == h);
  CHECK(pack_hash(test::source_dir() / "rules/qianjiang-2022") != h);
  auto schemas = subject_schema_files(dir);
  REQUIRE(!schemas.empty());
  CHECK(schemas[0].filename() == "dongsheng-2024.schema.json");
  bool refs = false;
  for (const auto& s : schemas) refs = refs || s.filename() == "subsidy-application.schema.json";
  CHECK(refs);
  // A copy of rules/ and schemas/ elsewhere hashes the same; a changed byte does not.
  test::TempDir copy;
  std::filesystem::copy(test::source_dir() / "rules", copy.path / "rules", std::filesystem::copy_options::recursive);
  std::filesystem::copy(test::source_dir() / "schemas", copy.path / "schemas", std::filesystem::copy_options::recursive);
  CHECK(pack_hash(copy.path / "rules/dongsheng-2024") == h);
  std::ofstream(copy.path / "schemas/subsidy-application.schema.json", std::ios::app) << " ";
  CHECK(pack_hash(copy.path / "rules/dongsheng-2024") != h);
}

TEST_CASE("identity: where the subject schema's x-applicant says, else the conventional paths") {
  auto pack_of = [](const char* name) {
    auto loaded = load_pack(test::source_dir() / "rules" / name);
    REQUIRE(loaded.pack);
    return *loaded.pack;
  };
  CompiledPack dongsheng = pack_of("dongsheng-2024"), bayingolin = pack_of("bayingolin-2026");
  auto id_of = [](const char* json, const CompiledPack& pack) {
    auto d = Document::parse(json, "-");
    REQUIRE(d.document);
    return identify(*d.document, pack);
  };
  auto a = id_of(R"({"id": "A-1", "applicant": {"name": "甲", "credit_code": "C1"}})", dongsheng);
  CHECK(a.application_id == "A-1");
  CHECK(a.applicant_name == "甲");
  CHECK(a.credit_code == "C1");
  auto b = id_of(R"({"id": "X-2", "enterprise": {"name": "乙", "credit_code": "C2"}})", dongsheng);
  CHECK(b.application_id == "X-2");
  CHECK(b.applicant_name == "乙");
  CHECK(b.credit_code == "C2");
  // Bayingolin's patent application names its applicant as a plain string.
  auto c = id_of(R"({"application": {"applicant": "丙学院", "title": "t"}})", bayingolin);
  CHECK(c.applicant_name == "丙学院");
  CHECK(!c.credit_code);
  // Places the schema does not declare are not read: $.name is nobody's name in Dongsheng's documents.
  auto d = id_of(R"({"name": "丁", "applicant": {"name": 5}})", dongsheng);
  CHECK(!d.applicant_name);
  // Without a declaration (a schema-less pack): the conventional places.
  Applicant e = applicant_of(*Document::parse(R"({"application_id": "E-1", "name": "戊", "credit_code": "C5"})", "-").document);
  CHECK(e.name == "戊");
  CHECK(e.credit_code == "C5");
  CHECK(e.application_id == "E-1");
}

TEST_CASE("exports: JSON Lines keep the decision's digits on one line; CSV quotes what it must") {
  Record r = sample("p", "A,1", "c", "{\n  \"total\": 500000.00,\n  \"s\": \"a  b\\n\"\n}\n");
  r.id = "id-1";
  r.seq = 7;
  std::string line = to_json(r);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find("\"total\": 500000.00") != std::string::npos);
  CHECK(line.find("\"a  b\\n\"") != std::string::npos);
  auto j = nlohmann::json::parse(line);
  CHECK(j["decision"]["s"] == "a  b\n");
  CHECK(j["pack"]["id"] == "p");
  CHECK(j["superseded_by"].is_null());
  std::string csv = to_csv(r);
  CHECK(csv.find("\"A,1\"") != std::string::npos);
  CHECK(csv.substr(csv.size() - 2) == "\r\n");
  std::string header = csv_header();
  CHECK(std::count(header.begin(), header.end(), ',') == 15);
  CHECK(std::count(csv.begin(), csv.end(), ',') == 16);  // one more: inside the quoted "A,1"
}

TEST_CASE("decide with a ledger: every decision recorded with its hashes, byte-equal to plain evaluation") {
  test::TempDir dir;
  for (const auto& url : store_urls(dir)) {
    CAPTURE(url);
    auto l = open_ledger(url);
    auto loaded = load_ledger_pack(test::source_dir() / "rules/qianjiang-2022");
    REQUIRE(loaded.pack);
    std::string text = R"({"inventor": {"name": "王五"}})";
    auto doc = Document::parse(text, "-");
    REQUIRE(doc.document);
    EvalOptions eval;
    eval.as_of = *Date::parse("2024-06-30");
    auto plain = decide(nullptr, *loaded.pack, {{&*doc.document, text}}, eval, "r");
    auto kept = decide(l.get(), *loaded.pack, {{&*doc.document, text}}, eval, "r");
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].json == plain[0].json);
    CHECK(kept[0].json == to_json(loaded.pack->pack.evaluate(*doc.document, eval)));
    auto stored = l->find(kept[0].record.id);
    REQUIRE(stored);
    CHECK(stored->decision_json == kept[0].json);
    CHECK(stored->input_hash == sha256_hex(text));
    CHECK(stored->pack_hash == loaded.pack->hash);
    CHECK(stored->as_of == "2024-06-30");
    CHECK(stored->engine_version == engine_version());
    CHECK(stored->input == text);
    CHECK(!stored->ledger_figures);  // qianjiang reads no ledger figures
  }
}

TEST_CASE("replay: a record's input decided again gives the stored decision, figures included, or says why not") {
  test::TempDir dir;
  for (const auto& url : store_urls(dir)) {
    CAPTURE(url);
    auto l = open_ledger(url);
    auto loaded = load_ledger_pack(test::source_dir() / "rules/dongsheng-2024");
    REQUIRE(loaded.pack);
    REQUIRE(!loaded.pack->figures.empty());
    // Two applications of one unit (a fresh credit code per store run): the second is capped by
    // what the first received, a figure the ledger gives it.
    std::string code = "91150602MA0N2XY23D";
    auto app = [&](const std::string& id, const char* amount) {
      return R"({"id": ")" + unique(id) + R"(", "applicant": {"name": "某机构", "type": "patent_service_agency",
        "credit_code": ")" + code + R"(", "subsidies_received": 0}, "transactions": [{"id": ")" + unique("T") +
             R"(", "concluded": true, "contract": {"amount": )" + amount +
             R"(, "signed_on": "2024-05-20", "tripartite": true}, "transformation": {"succeeded": true}}]})";
    };
    EvalOptions eval;
    eval.as_of = *Date::parse("2025-06-30");
    std::vector<Record> records;
    for (const auto& text : {app("R-1", "8000000"), app("R-2", "4000000")}) {
      auto doc = Document::parse(text, "-");
      REQUIRE(doc.document);
      auto kept = decide(l.get(), *loaded.pack, {{&*doc.document, text}}, eval, "r");
      records.push_back(*l->find(kept[0].record.id));
    }
    REQUIRE(records[1].ledger_figures);
    // (A PostgreSQL cluster may keep this unit's decisions from earlier runs; a fresh SQLite file does not.)
    if (url.rfind("sqlite:", 0) == 0) CHECK(records[1].ledger_figures->find("\"decisions\": 1") != std::string::npos);
    for (const auto& r : records) {
      auto again = replay(*loaded.pack, r, {});
      CHECK(again.status == Replay::same);
      REQUIRE(again.input);
      CHECK(to_json(again.decision) == r.decision_json);
    }
    // Without the figures it was decided on, the second decides otherwise: they are what replay needs.
    Record forgot = records[1];
    forgot.ledger_figures.reset();
    CHECK(replay(*loaded.pack, forgot, {}).status == Replay::decision_differs);
    Record other = records[0];
    other.pack_hash = "0000";
    CHECK(replay(*loaded.pack, other, {}).status == Replay::pack_changed);
    other = records[0];
    other.input.reset();
    CHECK(replay(*loaded.pack, other, {}).status == Replay::no_input);
  }
}

// A unit's credit code no earlier run used (a PostgreSQL cluster keeps its records between runs).
static std::string fresh_credit_code() {
  static const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static std::mt19937_64 rng{std::random_device{}()};
  std::string code = "91150602MA";
  for (int i = 0; i < 7; ++i) code += alphabet[rng() % alphabet.size()];
  for (char check : alphabet)
    if (credit_code_valid(code + check)) return code + check;
  return code + "0";  // unreachable: one check character fits
}

TEST_CASE(
    "decide with a ledger: an application is one unit's; DS-01's cap and paid contracts are the unit's, and only "
    "decided grants count") {
  test::TempDir dir;
  for (const auto& url : store_urls(dir)) {
    CAPTURE(url);
    auto l = open_ledger(url);
    auto loaded = load_ledger_pack(test::source_dir() / "rules/dongsheng-2024");
    REQUIRE(loaded.pack);
    const std::string x = fresh_credit_code(), y = fresh_credit_code(), app = unique("A");
    EvalOptions eval;
    eval.as_of = *Date::parse("2025-06-30");
    // One application of `unit`; each transaction: {id, contract number, amount, signed_on, tripartite}.
    auto decide_on = [&](const std::string& id, const std::string& unit, const std::string& transactions) {
      std::string text = R"({"id": ")" + id + R"(", "applicant": {"name": "某机构", "type": "patent_service_agency",
        "credit_code": ")" +
                         unit + R"(", "subsidies_received": 0}, "transactions": [)" + transactions + "]}";
      auto doc = Document::parse(text, "-");
      REQUIRE(doc.document);
      auto kept = decide(l.get(), *loaded.pack, {{&*doc.document, text}}, eval, "r");
      REQUIRE(kept.size() == 1);
      return kept[0].decision.rules[0];  // DS-01
    };
    auto transaction = [](const std::string& id, const std::string& number, const std::string& amount,
                          const std::string& tripartite = "true") {
      return R"({"id": ")" + id + R"(", "concluded": true, "contract": {)" +
             (number.empty() ? "" : R"("number": ")" + number + R"(", )") + R"("amount": )" + amount +
             R"(, "signed_on": "2024-05-01", "tripartite": )" + tripartite +
             R"(}, "transformation": {"succeeded": true}})";
    };
    auto total = [](const RuleDecision& d) { return d.output("total") ? d.output("total")->to_display() : "-"; };
    const std::string hx1 = unique("HT"), hx2 = unique("HT");
    CHECK(total(decide_on(app, x, transaction("T1", hx1, "6000000"))) == "300000.00");
    // Another unit's application under the same number is refused, nothing recorded: taken for a
    // re-review, it would erase X's grant from X's cap.
    {
      std::string text = R"({"id": ")" + app + R"(", "applicant": {"name": "另一机构", "type": "patent_service_agency",
        "credit_code": ")" +
                         y + R"(", "subsidies_received": 0}, "transactions": [)" +
                         transaction("T1", unique("HT"), "1000") + "]}";
      auto doc = Document::parse(text, "-");
      REQUIRE(doc.document);
      try {
        decide(l.get(), *loaded.pack, {{&*doc.document, text}}, eval, "r");
        FAIL("another unit's application under a recorded number was recorded");
      } catch (const ApplicationConflict& e) {
        CHECK(std::string(e.what()).find("is recorded for the unit with credit code " + x) != std::string::npos);
        CHECK(e.message_zh.find("一个申请编号只属于一个单位") != std::string::npos);
      }
    }
    Query q;
    q.credit_code = x;
    q.current_only = true;
    CHECK(l->list(q).size() == 1);
    q.credit_code = y;
    CHECK(l->list(q).empty());
    // So X's next application is capped by the 300,000 it received: 200,000 are left.
    auto second = decide_on(unique("A"), x, transaction("T1", hx2, "10000000"));
    CHECK(second.outcome == Outcome::pass);  // T1 again, but another contract: paid
    CHECK(total(second) == "200000.00");
    // The first contract listed again under another transaction id is refused.
    auto again = decide_on(unique("A"), x, transaction("T9", hx1, "2000000"));
    CHECK(again.outcome == Outcome::fail);
    REQUIRE(again.items.size() == 1);
    REQUIRE(!again.items[0].failed.empty());
    CHECK(again.items[0].failed[0].name == "not_paid_before");

    // An application recorded without a credit code takes the unit named when it is reviewed again;
    // once a unit's, a re-review naming none is refused (decided as no unit's, it was capped by no
    // history, and it would drop the unit's grant from its figures).
    const std::string w = fresh_credit_code(), loose = unique("A");
    auto without_unit = [&] {
      std::string text = R"({"id": ")" + loose + R"(", "applicant": {"name": "某机构", "type": "patent_service_agency",
        "subsidies_received": 0}, "transactions": [)" +
                         transaction("T1", unique("HT"), "1000") + "]}";
      auto doc = Document::parse(text, "-");
      REQUIRE(doc.document);
      decide(l.get(), *loaded.pack, {{&*doc.document, text}}, eval, "r");
    };
    without_unit();
    decide_on(loose, w, transaction("T1", unique("HT"), "1000"));
    Query by_app;
    by_app.application_id = loose;
    by_app.current_only = true;
    auto current = l->list(by_app);
    REQUIRE(current.size() == 1);
    CHECK(current[0].credit_code == w);
    CHECK_THROWS_AS(without_unit(), ApplicationConflict);
    CHECK(l->list(by_app).at(0).id == current[0].id);

    // A decision still open (needs_info) paid nothing: its contracts are paid when decided.
    const std::string z = fresh_credit_code(), h = unique("HT");
    auto open = decide_on(
        unique("P"), z,
        transaction("TX-1", h, "2000000") + ", " + R"({"id": "TX-2", "concluded": true, "contract": {"number": ")" +
            unique("HT") + R"(", "amount": 1000, "signed_on": "2024-05-01"}, "transformation": {"succeeded": true}})");
    CHECK(open.outcome == Outcome::needs_info);
    auto decided = decide_on(unique("P"), z, transaction("TX-1", h, "2000000"));
    CHECK(decided.outcome == Outcome::pass);
    CHECK(total(decided) == "100000.00");
  }
}

TEST_CASE("a record an earlier rulebook let another unit's application supersede still counts for its unit") {
  test::TempDir dir;
  auto l = open_ledger("sqlite:" + (dir.path / "ledger.db").string());
  auto x = l->append({sample("p", "A1", "X-code")});
  auto y = l->append({sample("p", "A1-y", "Y-code")});
  // As an earlier rulebook recorded Y's application under X's number: X's record superseded by Y's.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir.path / "ledger.db").string().c_str(), &db) == SQLITE_OK);
  std::string sql = "UPDATE decisions SET superseded_by = '" + y[0].id + "' WHERE id = '" + x[0].id + "'";
  CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  l->transact({}, [&](History& h) {
    auto current = h.current("p", "X-code");
    REQUIRE(current.size() == 1);
    CHECK(current[0].id == x[0].id);
    CHECK(h.current("p", "Y-code").size() == 1);
    return std::vector<Record>{};
  });
  // A re-review of the unit's own superseded by its own later record is not current.
  auto again = l->append({sample("p", "B1", "X-code")});
  auto later = l->append({sample("p", "B1", "X-code")});
  CHECK(later[0].supersedes == again[0].id);
  l->transact({}, [&](History& h) {
    auto current = h.current("p", "X-code");
    CHECK(current.size() == 2);  // A1 (still its own) and B1's re-review
    return std::vector<Record>{};
  });
}

// A store that counts how often a decision reads a unit's history.
class CountingLedger final : public Ledger {
 public:
  explicit CountingLedger(std::unique_ptr<Ledger> inner) : inner_(std::move(inner)) {}
  std::size_t reads = 0;
  std::vector<Record> transact(const std::vector<std::string>& locks,
                               const std::function<std::vector<Record>(History&)>& decide) override {
    return inner_->transact(locks, [&](History& h) {
      struct Counting final : History {
        History& inner;
        std::size_t& reads;
        Counting(History& h, std::size_t& n) : inner(h), reads(n) {}
        std::vector<Record> current(const std::string& pack, const std::string& code) override {
          ++reads;
          return inner.current(pack, code);
        }
      } counting(h, reads);
      return decide(counting);
    });
  }
  std::vector<Record> list(const Query& q) override { return inner_->list(q); }
  std::optional<Record> find(const std::string& id) override { return inner_->find(id); }
  int schema_version() override { return inner_->schema_version(); }
  std::string describe() const override { return inner_->describe(); }

 private:
  std::unique_ptr<Ledger> inner_;
};

// One request of many applications of one unit reads the unit's history once and each earlier
// decision once: read again for every application, 1,000 of one unit in one request took six
// minutes. Its decisions are those of the same applications sent one request each.
TEST_CASE("decide with a ledger: many applications of one unit in one call, as many calls of one") {
  test::TempDir dir;
  auto loaded = load_ledger_pack(test::source_dir() / "rules/dongsheng-2024");
  REQUIRE(loaded.pack);
  EvalOptions eval;
  eval.as_of = *Date::parse("2025-06-30");
  const std::string code = fresh_credit_code();
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) {  // 400,000 yuan asked each: the cap of 500,000 is spent by the second
    // Every fifth reviews again the application two before it.
    std::string id = "A" + std::to_string(i % 5 == 4 ? i - 2 : i);
    texts.push_back(R"({"id": ")" + id + R"(", "applicant": {"name": "某机构", "type": "patent_service_agency",
      "credit_code": ")" +
                    code + R"(", "subsidies_received": 0}, "transactions": [{"id": "T)" + std::to_string(i) +
                    R"(", "concluded": true, "contract": {"number": "C)" + std::to_string(i) +
                    R"(", "amount": 8000000, "signed_on": "2024-05-20", "tripartite": true},
      "transformation": {"succeeded": true}}]})");
  }
  std::vector<DocumentResult> docs;
  for (const auto& t : texts) docs.push_back(Document::parse(t, "-"));
  std::vector<Submission> all;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    REQUIRE(docs[i].document);
    all.push_back({&*docs[i].document, texts[i]});
  }
  CountingLedger together(open_ledger("sqlite:" + (dir.path / "together.db").string()));
  auto at_once = decide(&together, *loaded.pack, all, eval, "r");
  CHECK(together.reads == 1);
  auto one_by_one_store = open_ledger("sqlite:" + (dir.path / "apart.db").string());
  REQUIRE(at_once.size() == texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    CAPTURE(i);
    auto alone = decide(one_by_one_store.get(), *loaded.pack, {all[i]}, eval, "r");
    CHECK(alone[0].json == at_once[i].json);
    CHECK(alone[0].record.ledger_figures == at_once[i].record.ledger_figures);
  }
}
