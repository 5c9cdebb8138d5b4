// simdjson On-Demand walks every value once, in order: a value the pack reads becomes a
// Value with its JSON path, any other is only checked (literal, number range, string
// escapes, duplicate keys, depth), so a document is accepted only when Document::parse
// would accept it, and the decisions on it are the same. The same walk checks each value
// against the schema's rules in force at it (Schema::member_rules and the rest), so that a
// document accepted is one Schema::validate finds no violation in.

#include "batch/fast_reader.hpp"

#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <span>
#include <utility>

#include "schema/schema.hpp"
#include "value/arena.hpp"
#include "value/json_limits.hpp"
#include "value/json_number.hpp"
#include "value/key_set.hpp"
#include "value/recycler.hpp"
#include "value/same_text.hpp"

namespace rulebook::detail {
namespace od = simdjson::ondemand;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// JSON refuses raw control characters in strings. simdjson 3 refuses them as it indexes the
// text (fast_reader_test holds it to that); an older one may not, and then the
// walk looks for them. An escaped one ("\n") is fine, but the unescaped text cannot tell them
// apart: when the document's text holds a byte below 0x20 at all, each string and key is looked at.
constexpr bool simdjson_refuses_controls = simdjson::SIMDJSON_VERSION_MAJOR >= 3;

bool has_control(std::string_view s) {
  const char* p = s.data();
  const char* end = p + s.size();
#if defined(__SSE2__)
  for (const __m128i last = _mm_set1_epi8(0x1F); end - p >= 16; p += 16) {  // sixteen: v <= 0x1F when min(v, 0x1F) is v
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, last), v))) return true;
  }
#endif
  for (; end - p >= 8; p += 8) {  // eight bytes at a time: one below 0x20 has none of its top three bits
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    std::uint64_t top = x & 0xE0E0E0E0E0E0E0E0u;
    if ((top - 0x0101010101010101u) & ~top & 0x8080808080808080u) return true;  // a zero byte in `top`
  }
  return std::any_of(p, end, [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

const ReadSet id_set = [] {
  ReadSet id;
  id.name = "id";
  id.whole = true;
  return id;
}();

// What the walk learns of the objects at one place of a document (the same schema rules in
// force, the same part read) from the first ones there, and reuses for every later one: for
// each member name, the rules in force at it and the part of it read; what the object as a
// whole must be. A member then costs a comparison of its name (the one at its place in the
// last object first: documents keep their order), not a search of every rule in force.
struct ObjectPlan {
  struct Member {
    std::string name;
    bool allowed = true;  ///< false: the schema forbids it (additionalProperties: false)
    bool required = false;
    schema::Schema::Rules rules;    ///< in force at its value
    schema::Schema::ScalarCheck check;  ///< of `rules`, for a scalar value
    const ReadSet* read = nullptr;  ///< the part of its value read; null: only checked
    ObjectPlan* plan = nullptr;     ///< of the objects that are its value, once one is seen
    ObjectPlan* item_plan = nullptr;  ///< of the objects in the lists that are its value
    bool plain = false;               ///< its name needs no escape in JSON: a key is this name when its raw text is
  };
  schema::Schema::Rules rules;  ///< in force at the objects (the plan's key, with `read`)
  const ReadSet* read = nullptr;
  bool allows = true;  ///< the rules' own keywords allow an object
  std::size_t required = 0;
  /// The required ones first, then as learnt, up to `most_learnt`.
  /// INVARIANT: reserved to that at creation (plan_for), so never moved: the walk points at a
  /// member's rules and plans (Level) while a nested object sharing the plan learns another.
  std::vector<Member> members;
  std::size_t next = 0;         ///< where the next member's name is looked for first
  static constexpr std::size_t most_learnt = 64;

  static constexpr std::size_t none = std::size_t(-1);
  /// The index of the first member that `is` names (the one after the last found first), or `none`.
  template <class Is>
  std::size_t find_by(Is&& is) {
    if (next < members.size() && is(members[next])) return next++;
    for (std::size_t i = 0; i < members.size(); ++i)
      if (is(members[i])) {
        next = i + 1;
        return i;
      }
    return none;
  }
  /// The index of member `name`.
  std::size_t find(std::string_view name) {
    return find_by([&](const Member& m) { return same_text(m.name, name); });
  }
  /// The same for a key as it is written, `raw` its text after the opening quote, when the
  /// name is plain and the key spells it without escapes (most keys); else `none`, and the key
  /// is to be unescaped. `end`: where the text ends (a key is shorter than what is left).
  std::size_t find_raw(const char* raw, const char* end) {
    return find_by([&](const Member& m) {
      std::size_t n = m.name.size();
      return m.plain && std::size_t(end - raw) > n && raw[n] == '"' && same_text(m.name, {raw, n});
    });
  }
};

struct FastReader::Impl {
  // What the walk keeps per depth, reused from one document to the next.
  struct Level {
    // The open object's members its plan knows, by index: seen when marked with its serial.
    std::vector<std::uint64_t> seen;
    std::uint64_t serial = 0;
    KeySet<std::string_view> keys;  // the others (in the parser's buffer)
    // The schema's rules in force at the value at this depth: a plan member's (not copied), or
    // `own` when no plan knows the place (rules() gives them).
    const schema::Schema::Rules* shared = nullptr;
    schema::Schema::Rules own;
    const schema::Schema::ScalarCheck* check = nullptr;  // the plan member's, with `shared`
    // Where the plan of an object at this depth is kept, and of one in a list at this depth: in
    // the plan member the value is, so an object's plan is looked for once per place.
    ObjectPlan** object_plan = nullptr;
    ObjectPlan** item_plan = nullptr;
    // The items built so far of the list open at this depth, moved into a vector of the exact
    // size when it closes: one allocation, not a growing series.
    std::vector<Value> items;
    std::size_t width = 0;  // members of the last object built here (a whole one is given room for them, up to 64)
    std::string path;       // the JSON path of the list or object open here, when it is built
  };

  Impl(const Program& p, const InputLimits& l)
      : program(p), schema(p.schema.get()), limits(l), most_values(json_value_limit(l.max_bytes)) {}

  const Program& program;
  const schema::Schema* schema;  // null when the pack has none
  InputLimits limits;
  std::size_t most_values;  // in a document, as Document::parse allows
  od::parser parser;
  std::string buffer;         // a text copied with simdjson's padding after it
  std::size_t values = 0;     // walked in the document being read
  std::vector<Level> levels;  // by depth; grown as deeper values come, so indexed, never referred to
  // The nodes of the documents read, reused for the next one once none of them is held.
  std::shared_ptr<ValueArena> arena;
  std::string spare_name;                          // a document's name given back, for the next one
  std::vector<std::unique_ptr<ObjectPlan>> plans;  // few: one per place in the schema and the read set
  bool controls = true;  // whether the text has a byte below 0x20 (else no string or key needs looking at)
  const char* text_end = nullptr;  // of the document being read

  const schema::Schema::Rules& rules(std::size_t depth) const {
    const Level& l = levels[depth];
    return l.shared ? *l.shared : l.own;
  }
  // Makes the value at `depth` one that no plan member knows, its rules to be put in `own`.
  schema::Schema::Rules& own_rules(std::size_t depth) {
    Level& l = levels[depth];
    l.shared = nullptr;
    l.check = nullptr;
    l.object_plan = l.item_plan = nullptr;
    l.own.clear();
    return l.own;
  }

  // The plan of objects under `rules`, of which `r` is read.
  ObjectPlan& plan_for(const schema::Schema::Rules& rules, const ReadSet* r) {
    auto same = [&](const schema::Schema::InForce& a, const schema::Schema::InForce& b) {
      return a.rule == b.rule && a.depth == b.depth;
    };
    for (auto& p : plans)
      if (p->read == r && std::equal(rules.begin(), rules.end(), p->rules.begin(), p->rules.end(), same)) return *p;
    auto& p = *plans.emplace_back(std::make_unique<ObjectPlan>());
    p.rules = rules;
    p.read = r;
    auto keywords = rules.empty() ? schema::Schema::ObjectKeywords{} : schema->object_keywords(rules);
    p.allows = keywords.allows;
    p.required = keywords.required.size();
    p.members.reserve(p.required + ObjectPlan::most_learnt);
    for (auto name : keywords.required) p.members[learn(p, name)].required = true;
    return p;
  }

  // What member `name` of the plan's objects is: allowed or not, the rules at it, what is
  // read; its index in the plan.
  std::size_t learn(ObjectPlan& p, std::string_view name) {
    auto& m = p.members.emplace_back();
    m.name = name;
    m.plain =
        std::none_of(name.begin(), name.end(), [](char c) { return c == '"' || c == '\\' || (unsigned char)c < 0x20; });
    if (!p.rules.empty()) {
      m.allowed = schema->member_rules(p.rules, name, m.rules);
      m.check = schema->scalar_check(m.rules);
    }
    m.read = part_read(p.read, name);
    return p.members.size() - 1;
  }

  // What is read of member `name` of an object of which `r` is read; null: nothing.
  const ReadSet* part_read(const ReadSet* r, std::string_view name) const {
    const ReadSet* sub = r ? r->part(name) : nullptr;
    // Batch names each record by its id. (Only the root is read as the program's read set
    // itself, unless all of the document is, and then the id is read anyway.)
    if (!sub && r == &program.reads && name == "id") sub = &id_set;
    return sub;
  }

  // Empties a level's scratch vector; one grown past the usual is given back rather than kept.
  template <class T>
  static void release(std::vector<T>& v) {
    if (v.capacity() > 1024)
      v = {};
    else
      v.clear();
  }

  // Reads `v`; builds it into `out` when `r` is not null, and checks it against the schema's
  // rules in force at it (rules(depth)). False when the document is refused.
  // `key` (or `index`) says where it is in its parent; the path is spelled out only for the
  // lists and objects that are built, as only they keep it, into levels[depth].path.
  bool walk(od::value v, const ReadSet* r, std::string_view key, std::size_t index, Value* out, std::size_t depth) {
    auto spell_path = [&] {
      std::string& p = levels[depth].path;
      if (depth == 0) return void(p = "$");
      p = levels[depth - 1].path;  // the parent's, built as it is: its own was spelled out
      if (key.data()) {
        p += '.';
        p += key;
      } else {
        char digits[24];
        p += '[';
        p.append(digits, std::to_chars(digits, digits + sizeof digits, index).ptr);
        p += ']';
      }
    };
    if (++values > most_values) return false;
    if (levels.size() < depth + 2) levels.resize(depth + 2);
    // Whether rules are in force here; the scalar cases build their value when it is read or judged.
    const bool judged = !rules(depth).empty();
    auto put = [&](Value value) {
      if (judged) {
        const Level& l = levels[depth];
        if (l.check ? !l.check->passes(value) : !schema->scalar_passes(rules(depth), value)) return false;
      }
      if (out) *out = std::move(value);
      return true;
    };
    od::json_type type;
    if (v.type().get(type)) return false;
    switch (type) {
      case od::json_type::object: {
        if (depth >= limits.max_depth) return false;
        od::object obj;
        if (v.get_object().get(obj)) return false;
        levels[depth].keys.clear();
        ObjectPlan** kept_plan = levels[depth].object_plan;
        ObjectPlan& plan =
            kept_plan && *kept_plan ? **kept_plan : plan_for(rules(depth), r);  // nested objects may share it
        if (kept_plan) *kept_plan = &plan;
        ++levels[depth].serial;
        std::size_t required = 0;
        if (r) spell_path();
        // Built in place, over the members of an earlier document's object: `built` of them written so far.
        Object* node = out ? &arena->object() : nullptr;
        std::size_t built = 0;
        // Room for the members read, and at the root for the id; a whole object is given that of
        // the last one built at its depth.
        if (node && (!r->reads_all() || levels[depth].width))
          node->members.reserve(r->reads_all() ? std::min<std::size_t>(levels[depth].width, 64)
                                               : r->fields.size() + (depth == 0));
        for (auto f : obj) {
          od::field field;
          if (std::move(f).get(field)) return false;
          std::string_view name;
          std::size_t i = plan.find_raw(field.key().raw(), text_end);
          if (i != ObjectPlan::none) {
            name = plan.members[i].name;
          } else {
            if (field.unescaped_key().get(name)) return false;
            if (controls && has_control(name)) return false;
            i = plan.find(name);
            if (i == ObjectPlan::none && plan.members.size() < plan.required + ObjectPlan::most_learnt)
              i = learn(plan, name);
          }
          const ReadSet* sub;
          if (i != ObjectPlan::none) {  // known here: its rules and its part from the plan
            auto& m = plan.members[i];
            auto& level = levels[depth];  // not kept: a deeper value may grow `levels`
            if (i >= level.seen.size()) level.seen.resize(plan.members.size());
            if (level.seen[i] == level.serial || !m.allowed) return false;  // a duplicate, or forbidden
            level.seen[i] = level.serial;
            required += m.required;
            auto& inner = levels[depth + 1];
            inner.shared = &m.rules;
            inner.check = &m.check;
            inner.object_plan = &m.plan;
            inner.item_plan = &m.item_plan;
            sub = m.read;
          } else {  // one of too many names: found out for this object alone
            if (!levels[depth].keys.insert(name)) return false;
            auto& inner = own_rules(depth + 1);
            if (judged && !schema->member_rules(rules(depth), name, inner)) return false;
            sub = part_read(r, name);
          }
          if (sub && node) {
            auto& members = node->members;
            if (built == members.size()) members.emplace_back();
            auto& [member, value] = members[built++];
            if (!same_text(member, name))
              member.assign(name);  // most often the key it had: documents repeat their shape
            if (!walk(field.value(), sub, name, 0, &value, depth + 1)) return false;
          } else if (!walk(field.value(), nullptr, name, 0, nullptr, depth + 1)) {
            return false;
          }
        }
        if (!plan.allows || required != plan.required) return false;
        plan.next = 0;
        if (node) {
          node->members.resize(built);
          levels[depth].width = built;
          if (node->path != levels[depth].path) node->path.assign(levels[depth].path);
          *out = depth == 0 ? ValueArena::root(arena, *node) : ValueArena::view(*node);
        }
        return true;
      }
      case od::json_type::array: {
        if (depth >= limits.max_depth) return false;
        od::array arr;
        if (v.get_array().get(arr)) return false;
        auto& inner = own_rules(depth + 1);
        if (judged) schema->item_rules(rules(depth), inner);
        levels[depth + 1].object_plan = levels[depth].item_plan;  // the items' rules are the same each time
        const ReadSet* sub = r ? r->element() : nullptr;
        if (r) spell_path();
        levels[depth].items.clear();
        std::size_t count = 0;
        for (auto e : arr) {
          od::value element;
          if (std::move(e).get(element)) return false;
          if (sub) {
            Value value;
            if (!walk(element, sub, {}, count, &value, depth + 1)) return false;
            levels[depth].items.push_back(std::move(value));
          } else {
            if (!walk(element, nullptr, {}, count, nullptr, depth + 1)) return false;
            if (r) levels[depth].items.emplace_back();  // keep the list's length and indices
          }
          ++count;
        }
        if (judged && !schema->list_passes(rules(depth), count)) return false;
        if (out) {
          auto& built = levels[depth].items;
          List& node = arena->list();
          node.items.assign(std::make_move_iterator(built.begin()), std::make_move_iterator(built.end()));
          node.path.assign(levels[depth].path);
          *out = ValueArena::view(node);
          release(built);
        }
        return true;
      }
      case od::json_type::number: {
        std::string_view raw = trim(v.raw_json_token());
        if (!is_json_number(raw)) return false;
        auto d = Decimal::parse(raw);
        if (!d) return false;
        return !out && !judged ? true : put(Value(*d));
      }
      case od::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s) || (controls && has_control(s))) return false;
        if (!out && !judged) return true;
        if (auto date = s.size() == 10 && !(r && r->text) ? Date::parse(s) : std::nullopt) return put(Value(*date));
        return put(arena->string(s));
      }
      case od::json_type::boolean: {
        bool b;
        if (v.get_bool().get(b)) return false;
        return !out && !judged ? true : put(Value(b));
      }
      case od::json_type::null: {
        if (trim(v.raw_json_token()) != "null") return false;
        if (out) *out = Value(nullptr);
        return true;  // null is never a schema error
      }
    }
    return false;
  }
};

FastReader::FastReader(const Program& program, const InputLimits& limits) : impl_(new Impl(program, limits)) {}
FastReader::~FastReader() = default;

bool FastReader::validates() const { return true; }

static_assert(json_padding >= simdjson::SIMDJSON_PADDING);

std::optional<Document> FastReader::read(std::string_view json, std::string_view name) {
  if (json.size() > impl_->limits.max_bytes) return std::nullopt;
  std::string& buf = impl_->buffer;
  buf.assign(json);
  buf.append(json_padding, ' ');
  return read_padded(buf.data(), json.size(), buf.size(), name);
}

std::optional<Document> FastReader::read(const std::string& json, std::string_view name) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end, whatever they hold, as long as
  // they are allocated: a std::string's capacity is (its terminator is one byte more).
  if (json.capacity() - json.size() < json_padding) return read(std::string_view(json), name);
  if (json.size() > impl_->limits.max_bytes) return std::nullopt;
  return read_padded(json.data(), json.size(), json.capacity(), name);
}

std::optional<Document> FastReader::read_padded(const char* json, std::size_t size, std::size_t capacity,
                                                std::string_view name) {
  // A byte order mark at the start, which Document::parse (nlohmann's lexer) skips too.
  if (std::string_view(json, size).starts_with("\xEF\xBB\xBF")) {
    json += 3;
    size -= 3;
    capacity -= 3;
  }
  od::document doc;
  if (impl_->parser.iterate(json, size, capacity).get(doc)) return std::nullopt;
  od::value root;
  od::json_type type;
  if (doc.get_value().get(root) || root.type().get(type) || type != od::json_type::object) return std::nullopt;
  Value value;
  impl_->values = 0;
  impl_->controls = !simdjson_refuses_controls && has_control({json, size});  // most texts have none
  impl_->text_end = json + size;
  if (impl_->plans.size() > 1024) impl_->plans.clear();  // documents of many shapes: learn afresh
  if (impl_->levels.empty()) impl_->levels.resize(1);
  // The last documents' nodes are written over, unless one of them is still held.
  auto& arena = impl_->arena;
  if (arena && held_alone(arena) && !arena->grown())
    arena->reset();
  else
    arena = std::make_shared<ValueArena>();
  auto& root_rules = impl_->own_rules(0);
  if (impl_->schema) impl_->schema->root_rules(root_rules);
  const bool read = impl_->walk(root, &impl_->program.reads, {}, 0, &value, 0);
  for (auto& l : impl_->levels) {  // a refused document's values; a path grown past the usual
    if (!read) impl_->release(l.items);
    if (l.path.capacity() > 1024) l.path = {};
  }
  if (!read) return std::nullopt;
  // Anything after the root object is trailing content, which JSON does not allow.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return std::nullopt;
  impl_->spare_name.assign(name);
  return Document::make(std::move(value), std::move(impl_->spare_name));
}

void FastReader::recycle(Document&& doc) {
  auto [root, name] = std::move(doc).release();  // the root lets the arena go
  impl_->spare_name = std::move(name);
}

}  // namespace rulebook::detail
