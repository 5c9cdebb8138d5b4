// Embedding rulebook: load a pack once, then evaluate documents as they arrive.
//   embed PACK_DIR AS_OF < application.json
#include <iostream>
#include <iterator>
#include <rulebook/engine.hpp>
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

  rulebook::Decision decision = loaded.pack->evaluate(*doc.document, {.as_of = *as_of});
  for (const auto& rule : decision.rules) {
    std::cout << rule.id << " " << rulebook::to_string(rule.outcome);
    for (const auto& [name, value] : rule.outputs) std::cout << " " << name << "=" << value.to_display();
    std::cout << "\n";
  }
  return decision.outcome == rulebook::Outcome::pass ? 0 : 1;
}
