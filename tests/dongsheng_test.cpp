// DS-01 on every bundled example, with the amounts worked out by hand.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "support.hpp"

using namespace rulebook;

namespace {

const CompiledPack& pack() {
  static const LoadResult loaded = load_pack(test::source_dir() / "rules/dongsheng-2024");
  REQUIRE(loaded.errors.empty());
  REQUIRE(loaded.warnings.empty());
  return *loaded.pack;
}

RuleDecision by_id(const Decision& d, const std::string& id) {
  for (const auto& r : d.rules)
    if (r.id == id) return r;
  FAIL("no rule " << id);
  return {};
}

RuleDecision ds01(const std::string& example, const char* as_of = "2025-06-30") {
  std::ifstream in(test::source_dir() / "examples/dongsheng-2024" / example);
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = Document::parse(ss.str(), example);
  REQUIRE(doc.document);
  Decision d = pack().evaluate(*doc.document, {.as_of = *Date::parse(as_of)});
  return by_id(d, "DS-01");
}

std::string out(const RuleDecision& r, const std::string& name) {
  for (const auto& [k, v] : r.outputs)
    if (k == name) return v.to_display();
  return "(none)";
}

}  // namespace

TEST_CASE("DS-01 eligible: 5% of 3,000,000.00") {
  auto r = ds01("eligible.json");
  CHECK(r.outcome == Outcome::pass);
  CHECK(out(r, "amounts") == "[150000.00]");
  CHECK(out(r, "total") == "150000.00");
  CHECK(out(r, "remaining_cap") == "350000.00");
  CHECK(r.citation.quote.find("5%资助") != std::string::npos);
}

TEST_CASE("DS-01 capped: 617,283.9455 is cut to the 400,000 left of the 50万 cap") {
  auto r = ds01("capped.json");
  CHECK(r.outcome == Outcome::pass);
  CHECK(out(r, "amounts") == "[400000.00]");
  CHECK(out(r, "total") == "400000.00");
  CHECK(out(r, "remaining_cap") == "0.00");
}

TEST_CASE("DS-01 multi: the cap is shared in contract-date order, rounded on the running total") {
  // T1 2024-03-15 200000; T3 2024-06-30 61728.3945 (running 261728.3945 -> 261728.39);
  // T2 2025-01-08 wants 400000, gets the 238271.6055 left (running 500000 -> share 238271.61);
  // T4 has no tripartite contract.
  auto r = ds01("multi.json");
  CHECK(r.outcome == Outcome::pass);
  CHECK(out(r, "amounts") == "[200000.00, 238271.61, 61728.39, 0.00]");
  CHECK(out(r, "total") == "500000.00");
  CHECK(out(r, "remaining_cap") == "0.00");
  REQUIRE(r.items.size() == 4);
  CHECK(r.items[3].key == "T4");
  CHECK(r.items[3].outcome == Outcome::fail);
  REQUIRE(r.items[3].failed.size() == 1);
  CHECK(r.items[3].failed[0].name == "tripartite");
  CHECK(r.items[3].failed[0].message.zh == "未签订三方合同");
}

TEST_CASE("DS-01 ineligible: an enterprise is not an agency, and the transformation failed") {
  auto r = ds01("ineligible.json");
  CHECK(r.outcome == Outcome::fail);
  CHECK(out(r, "total") == "0.00");
  REQUIRE(r.items.size() == 1);
  REQUIRE(r.items[0].failed.size() == 2);
  CHECK(r.items[0].failed[0].name == "agency");
  CHECK(r.items[0].failed[1].name == "transformed");
}

TEST_CASE("DS-01 needs information: names exactly the fields to ask for") {
  auto r = ds01("needs-info.json");
  CHECK(r.outcome == Outcome::needs_info);
  CHECK(r.missing ==
        std::vector<std::string>{"$.transactions[0].transformation.succeeded", "$.applicant.subsidies_received"});
  CHECK(out(r, "total") == "unknown");
}

TEST_CASE("Two dates: a review after the plan's period judges a contract signed in it") {
  auto after = ds01("eligible.json", "2026-03-01");
  CHECK(after.outcome == Outcome::pass);
  CHECK(out(after, "total") == "150000.00");
  auto before = ds01("eligible.json", "2023-12-31");  // the plan was not yet in force
  CHECK(before.outcome == Outcome::not_applicable);
  CHECK(before.reason.zh.find("方案尚未施行") != std::string::npos);
  CHECK(before.reason.en.find("before the plan took effect on 2024-01-01") != std::string::npos);
}

TEST_CASE("DS-01 boundaries: contract dates at the period's edges, cap exactly reached") {
  auto eval = [](const std::string& signed_on, const std::string& amount, const std::string& received,
                 const char* as_of = "2026-03-31") {
    auto doc = Document::parse(R"({"applicant": {"type": "patent_service_agency", "subsidies_received": )" + received +
                               R"(}, "transactions": [{"id": "x", "concluded": true, "contract": {"amount": )" +
                               amount + R"(, "signed_on": ")" + signed_on +
                               R"(", "tripartite": true}, "transformation": {"succeeded": true}}]})");
    return by_id(pack().evaluate(*doc.document, {.as_of = *Date::parse(as_of)}), "DS-01");
  };
  CHECK(eval("2024-01-01", "100", "0").outcome == Outcome::pass);
  CHECK(eval("2025-12-31", "100", "0").outcome == Outcome::pass);
  // Signed outside the plan's period: not this plan's to pay.
  CHECK(eval("2023-12-31", "100", "0").outcome == Outcome::not_applicable);
  CHECK(eval("2026-01-01", "100", "0").outcome == Outcome::not_applicable);
  // Signed after the review date: refused.
  CHECK(eval("2025-07-01", "100", "0", "2025-06-30").outcome == Outcome::fail);
  auto exact = eval("2024-06-01", "10000000", "0");  // 5% is exactly the cap
  CHECK(out(exact, "total") == "500000.00");
  CHECK(out(exact, "remaining_cap") == "0.00");
  auto spent = eval("2024-06-01", "10000000", "500000");  // nothing left: granted 0, still eligible
  CHECK(spent.outcome == Outcome::pass);
  CHECK(out(spent, "total") == "0.00");
}

TEST_CASE("evaluate() validates the document by default: a broken one throws InvalidInput with every violation (#16)") {
  auto loaded = load_pack(test::source_dir() / "rules/dongsheng-2024");
  REQUIRE(loaded.pack);
  auto doc = Document::parse(R"({"applicant": {"type": "patent_service_agency"}, "transactions": [1, "x"]})", "d.json");
  REQUIRE(doc.document);
  const Date day = *Date::parse("2025-06-30");
  try {
    (void)loaded.pack->evaluate(*doc.document, {.as_of = day});
    FAIL("a document that breaks the schema was evaluated");
  } catch (const InvalidInput& e) {
    REQUIRE(e.errors.size() >= 2);
    CHECK(e.errors[0].json_path == "$.transactions[0]");
    CHECK(std::string(e.what()).starts_with("rulebook: the document breaks the pack's subject schema: $.transactions[0]: "));
  }
  // A caller that validated already (batch, serve) turns it off, and the rules run as they are.
  Decision d = loaded.pack->evaluate(*doc.document, {.as_of = day, .validate = false});
  CHECK(d.rules.size() == loaded.pack->info().rule_ids.size());
}
