// Embedding rulebook: load a pack once, then evaluate documents as they arrive.
//   embed PACK_DIR AS_OF < application.json
#include <iostream>
#include <iterator>
#include <rulebook/engine.hpp>
#include <rulebook/version.hpp>
#include <stdexcept>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: embed PACK_DIR AS_OF < document.json\n";
    return 2;
  }
  // Load, check and compile once; the CompiledPack may then serve any number of threads.
  rulebook::LoadResult loaded = rulebook::load_pack(argv[1]);
  if (!loaded.pack) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string();
    return 2;
  }
  auto as_of = rulebook::Date::parse(argv[2]);
  if (!as_of) {
    std::cerr << "bad date: " << argv[2] << "\n";
    return 2;
  }

  std::string json(std::istreambuf_iterator<char>(std::cin), {});
  rulebook::DocumentResult doc = rulebook::Document::parse(json, "stdin");
  if (!doc.document) {
    for (const auto& e : doc.errors) std::cerr << e.to_string();
    return 2;
  }

  rulebook::Decision decision;
  try {
    decision = loaded.pack->evaluate(*doc.document, {.as_of = *as_of});
  } catch (const rulebook::InvalidInput& e) {  // the document breaks the pack's subject schema
    for (const auto& problem : e.errors) std::cerr << problem.json_path << ": " << problem.message << "\n";
    return 2;
  }
  for (const auto& rule : decision.rules) {
    std::cout << rule.id << " " << rulebook::to_string(rule.outcome);
    for (const auto& [name, value] : rule.outputs) std::cout << " " << name << "=" << value.to_display();
    std::cout << "\n";
  }

  // An output by name, and what reading it as the wrong kind says.
  const rulebook::RuleDecision* ds01 = decision.rule("DS-01");
  const rulebook::Value* total = ds01 ? ds01->output("total") : nullptr;
  if (total) {
    std::cout << "total " << total->as_number().to_string() << "\n";
    try {
      std::cout << total->as_string();
    } catch (const rulebook::KindError& e) {
      std::cout << "wrong kind: " << e.what() << "\n";
    }
  }
  // Without a review date there is no decision, never one on a default day.
  try {
    loaded.pack->evaluate(*doc.document, {});
  } catch (const std::invalid_argument& e) {
    std::cout << "no review date: " << e.what() << "\n";
  }
  std::cout << "version " << RULEBOOK_VERSION_STRING << " " << rulebook::version() << "\n";
  return decision.outcome == rulebook::Outcome::pass ? 0 : 1;
}
