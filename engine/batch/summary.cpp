// Totals over many decisions: outcome counts per rule and exact sums of outputs. The JSON
// form is written by hand with exact digits and read back through Document::parse, so that
// merged partial summaries add up to exactly the totals of one run.

#include <algorithm>
#include <sstream>

#include "compile/pack_access.hpp"
#include "report/json_writer.hpp"
#include "report/present.hpp"
#include "rulebook/batch.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

constexpr std::array<Outcome, 5> all_outcomes{Outcome::pass, Outcome::fail, Outcome::needs_info,
                                              Outcome::not_applicable, Outcome::error};

void add_counts(std::array<std::uint64_t, 5>& into, const std::array<std::uint64_t, 5>& from) {
  for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}

// A sum of counts, saturating: counts that pass 2^64 together do not add up to anything.
std::uint64_t sum_of(const std::array<std::uint64_t, 5>& counts) {
  std::uint64_t n = 0;
  for (auto c : counts) n = n + c < n ? UINT64_MAX : n + c;
  return n;
}

bool counts_fit(const std::array<std::uint64_t, 5>& into, const std::array<std::uint64_t, 5>& from) {
  for (std::size_t i = 0; i < into.size(); ++i)
    if (into[i] + from[i] < into[i]) return false;
  return true;
}

// A sum past what a decimal holds marks its total overflowed (reported, never thrown: it
// happens on a batch worker thread). A total's last digits may round, as a rate's do: a
// summary read back for --merge no longer says which outputs were rounded, and a merge
// must add up to what one run does.
void add_to(Summary::OutputTotal& t, const Decimal& x) {
  if (t.overflow) return;
  try {
    t.sum = t.sum + x.marked(true);
  } catch (const DecimalError&) {
    t.overflow = true;
  }
}

// Terminal columns a label takes: CJK characters are two wide.
std::size_t columns(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto cp = decode_utf8(s.substr(i));
    if (!cp) return s.size();
    n += cp->value >= 0x1100 ? 2 : 1;
    i += cp->length;
  }
  return n;
}

std::string counts_json(const std::array<std::uint64_t, 5>& counts) {
  std::string out = "{";
  for (Outcome o : all_outcomes)
    out += std::string(o == Outcome::pass ? "" : ", ") + "\"" + std::string(to_string(o)) +
           "\": " + std::to_string(counts[std::size_t(o)]);
  return out + "}";
}

std::string outcomes_add_up(std::uint64_t evaluated, std::uint64_t sum) {
  return "outcomes that add up to the " + std::to_string(evaluated) + " records evaluated (records − invalid), not " +
         std::to_string(sum);
}
std::string outcomes_add_up_zh(std::uint64_t evaluated, std::uint64_t sum) {
  return "各结果的份数合计为已判定的 " + std::to_string(evaluated) + " 份（records − invalid），实际为 " +
         std::to_string(sum);
}

// Reading a summary back: every problem names its JSON path, in both languages.
struct Reader {
  const std::string& name;
  std::vector<Error>& errors;
  bool ok = true;

  void fail(const std::string& path, const std::string& what, const std::string& what_zh) {
    Error e{Error::Code::input, {}, {name, 0, 0}, path, {}};
    std::string label = label_zh(path);
    errors.push_back(e.say("expected " + what, (label.empty() ? "" : "「" + label + "」") + "应为" + what_zh));
    ok = false;
  }
  // A summary's field as the Chinese text summary names it (no pack labels these), by its path.
  static std::string label_zh(std::string_view path) {
    auto dot = path.rfind('.');
    std::string_view key = path.substr(dot + 1), parent = path.substr(0, dot);
    if (parent.ends_with(".outputs")) return "输出 " + std::string(key) + " 的合计";
    static const std::pair<std::string_view, std::string_view> labels[] = {
        {"pack", "规则包"},           {"version", "规则包版本"},
        {"hash", "规则包内容哈希"},   {"as_of", "判定日期"},
        {"records", "材料份数"},      {"invalid", "无法判定的份数"},
        {"outcomes", "各结果的份数"}, {"rules", "各规则的合计"},
        {"outputs", "各输出的合计"},  {"sum", "合计"},
        {"true", "为真的份数"},       {"known", "可算的份数"},
        {"unknown", "缺数据的份数"}};
    if (key == "id") return parent == "$.pack" ? "规则包编号" : "规则编号";
    for (auto o : all_outcomes)
      if (key == to_string(o)) return std::string(report::word(report::words("zh"), o)) + "的份数";
    for (const auto& [k, label] : labels)
      if (key == k) return std::string(label);
    return {};
  }
  const Value* member(const Value& obj, const std::string& path, const char* key, Kind kind) {
    const Value* v = obj.kind() == Kind::object ? obj.as_object().find(key) : nullptr;
    if (!v || v->kind() != kind) {
      fail(path + "." + key, std::string("a ") + std::string(kind_name(kind)), std::string(kind_name_zh(kind)));
      return nullptr;
    }
    return v;
  }
  std::uint64_t count(const Value& obj, const std::string& path, const char* key) {
    const Value* v = member(obj, path, key, Kind::number);
    auto n = v ? v->as_number().to_int64() : std::nullopt;
    if (v && (!n || *n < 0)) fail(path + "." + key, "a whole number >= 0", "不小于 0 的整数");
    return n && *n >= 0 ? std::uint64_t(*n) : 0;
  }
  std::array<std::uint64_t, 5> counts(const Value& obj, const std::string& path) {
    std::array<std::uint64_t, 5> c{};
    if (!member(obj, path, "outcomes", Kind::object)) return c;
    const Value& o = *obj.as_object().find("outcomes");
    for (Outcome x : all_outcomes) c[std::size_t(x)] = count(o, path + ".outcomes", std::string(to_string(x)).c_str());
    return c;
  }
};

}  // namespace

Summary::Summary(const CompiledPack& pack, std::string as_of)
    : pack_(pack.info().id), version_(pack.info().version), as_of_(std::move(as_of)) {
  // The outputs that total, known from the pack in its order, so that every part of a split
  // corpus lists them alike and merged parts are byte for byte one run: numbers and booleans
  // (and what the checker cannot type); a text, date, list or object has no sum to give, even
  // where it is unknown (a list of amounts is totalled by the output that sums it).
  for (const auto& rule : detail::program(pack).rules) {
    RuleTotal& r = rules_.emplace_back();
    r.id = rule.id;
    for (const auto& o : rule.outputs) {
      ir::TypeKind kind = o.expr.expr ? o.expr.expr->type.kind : ir::TypeKind::any;
      if (kind != ir::TypeKind::number && kind != ir::TypeKind::boolean && kind != ir::TypeKind::any) continue;
      r.outputs.push_back({o.name, {}});
      r.outputs.back().second.boolean = kind == ir::TypeKind::boolean;
      r.outputs.back().second.untyped = kind == ir::TypeKind::any;
    }
  }
}

Summary::RuleTotal& Summary::rule(const std::string& id) {
  for (auto& r : rules_)
    if (r.id == id) return r;
  return rules_.emplace_back(RuleTotal{id, {}, {}});
}

void Summary::add(const Decision& d) {
  ++records_;
  ++outcomes_[std::size_t(d.outcome)];
  for (std::size_t i = 0; i < d.rules.size(); ++i) {
    const RuleDecision& rd = d.rules[i];
    // Rules come in pack order: the index finds them without a search.
    RuleTotal& r = i < rules_.size() && rules_[i].id == rd.id ? rules_[i] : rule(rd.id);
    ++r.outcomes[std::size_t(rd.outcome)];
    for (std::size_t k = 0; k < rd.outputs.size(); ++k) {
      const std::string& name = rd.outputs[k].first;  // not a structured binding: lambdas capture it
      const Value& v = rd.outputs[k].second;
      if (v.kind() != Kind::number && v.kind() != Kind::boolean && !v.is_unknown()) continue;
      auto it = k < r.outputs.size() && r.outputs[k].first == name
                    ? r.outputs.begin() + std::ptrdiff_t(k)
                    : std::find_if(r.outputs.begin(), r.outputs.end(), [&](auto& o) { return o.first == name; });
      if (it == r.outputs.end()) continue;  // not one that totals (the constructor)
      OutputTotal& t = it->second;
      if (v.kind() == Kind::number) {
        add_to(t, v.as_number());
        ++t.known;
      } else if (v.kind() == Kind::boolean) {
        t.boolean = true;
        if (v.as_bool()) add_to(t, Decimal(1));
        ++t.known;
      } else if (v.is_unknown()) {
        ++t.unknown;
      }
    }
  }
}

bool Summary::merge(const Summary& other, std::string& why) {
  Error e;
  bool merged = merge(other, e);
  why = e.message;
  return merged;
}

bool Summary::merge(const Summary& other, Error& why) {
  auto refuse = [&why](std::string en, std::string zh) {
    why.say(std::move(en), std::move(zh));
    return false;
  };
  if (other.pack_ != pack_ || other.version_ != version_ || other.as_of_ != as_of_)
    return refuse("it summarises pack " + other.pack_ + " " + other.version_ + " as of " + other.as_of_ + ", not " +
                      pack_ + " " + version_ + " as of " + as_of_,
                  "它汇总的是规则包 " + other.pack_ + " " + other.version_ + "、判定日期 " + other.as_of_ +
                      "，不是规则包 " + pack_ + " " + version_ + "、判定日期 " + as_of_);
  if (!hash_.empty() && !other.hash_.empty() && hash_ != other.hash_)
    return refuse("it summarises pack " + pack_ + " " + version_ + " with other content (hash " + other.hash_ +
                      ", not " + hash_ + "): the rules changed without a new version",
                  "它汇总的规则包 " + pack_ + " " + version_ + " 内容不同（哈希 " + other.hash_ + "，不是 " + hash_ +
                      "）：规则改了，版本号却没有改");
  // The same pack has the same rules: one not in the others' list is from some other pack.
  for (const auto& o : other.rules_)
    if (std::none_of(rules_.begin(), rules_.end(), [&](auto& r) { return r.id == o.id; }))
      return refuse(
          "its rule " + o.id + " is not in pack " + pack_ + " " + version_ + " as the other summaries have it",
          "其中的规则 " + o.id + " 不在其他汇总所用的规则包 " + pack_ + " " + version_ + " 中");
  for (const auto& r : rules_)
    if (std::none_of(other.rules_.begin(), other.rules_.end(), [&](auto& o) { return r.id == o.id; }))
      return refuse("it has no totals for rule " + r.id + " of pack " + pack_ + " " + version_,
                    "其中没有规则包 " + pack_ + " " + version_ + " 的规则 " + r.id + " 的合计");
  // Outputs both list come in the same order and total the same way (a sum, or a count of true):
  // a part edited by hand is refused rather than added into another total.
  for (const auto& o : other.rules_) {
    const RuleTotal& mine = *std::find_if(rules_.begin(), rules_.end(), [&](auto& r) { return r.id == o.id; });
    std::size_t last = 0;
    for (const auto& output : o.outputs) {
      const std::string& name = output.first;  // not a structured binding: the lambda captures it (clang 14)
      const OutputTotal& t = output.second;
      auto it = std::find_if(mine.outputs.begin(), mine.outputs.end(), [&](auto& x) { return x.first == name; });
      if (it == mine.outputs.end()) continue;
      auto at = std::size_t(it - mine.outputs.begin());
      if (at < last || it->second.boolean != t.boolean)
        return refuse("its output " + o.id + "." + name + " is listed " +
                          (at < last   ? std::string("in another order")
                           : t.boolean ? std::string("as a count of true, not a sum,")
                                       : std::string("as a sum, not a count of true,")) +
                          " than in the other summaries",
                      "其中输出 " + o.id + "." + name +
                          (at < last   ? std::string(" 的次序与其他汇总不同")
                           : t.boolean ? std::string(" 合计的是为真的份数，而其他汇总是求和")
                                       : std::string(" 合计的是求和，而其他汇总是为真的份数")));
      last = at;
    }
  }
  // Counts that would wrap are refused whole, before anything is added.
  bool fits = records_ + other.records_ >= records_ && invalid_ + other.invalid_ >= invalid_ &&
              counts_fit(outcomes_, other.outcomes_);
  for (const auto& o : other.rules_) {
    auto mine = std::find_if(rules_.begin(), rules_.end(), [&](auto& r) { return r.id == o.id; });
    fits = fits && (mine == rules_.end() || counts_fit(mine->outcomes, o.outcomes));
  }
  if (!fits)
    return refuse("its counts added to the others' pass 2^64: they cannot be right",
                  "其份数与其他汇总相加超过 2^64：不可能是对的");
  records_ += other.records_;
  invalid_ += other.invalid_;
  add_counts(outcomes_, other.outcomes_);
  for (const auto& o : other.rules_) {
    RuleTotal& r = rule(o.id);
    add_counts(r.outcomes, o.outcomes);
    for (const auto& output : o.outputs) {
      const std::string& name = output.first;
      const OutputTotal& t = output.second;
      auto it = std::find_if(r.outputs.begin(), r.outputs.end(), [&](auto& x) { return x.first == name; });
      if (it == r.outputs.end()) it = r.outputs.insert(it, {name, {}});
      it->second.boolean = it->second.boolean || t.boolean;
      it->second.overflow = it->second.overflow || t.overflow;
      add_to(it->second, t.sum);
      it->second.known += t.known;
      it->second.unknown += t.unknown;
    }
  }
  return true;
}

std::string Summary::overflowed() const {
  for (const auto& r : rules_)
    for (const auto& [name, t] : r.outputs)
      if (t.overflow) return r.id + "." + name;
  return {};
}

std::string Summary::to_json() const {
  std::ostringstream out;
  out << "{\n  \"pack\": {\"id\": " << json_quote(pack_) << ", \"version\": " << json_quote(version_)
      << (hash_.empty() ? "" : ", \"hash\": " + json_quote(hash_)) << "},\n  \"as_of\": " << json_quote(as_of_)
      << ",\n  \"records\": " << records_ << ",\n  \"invalid\": " << invalid_
      << ",\n  \"outcomes\": " << counts_json(outcomes_) << ",\n  \"rules\": [";
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const RuleTotal& r = rules_[i];
    out << (i ? "," : "") << "\n    {\"id\": " << json_quote(r.id) << ", \"outcomes\": " << counts_json(r.outcomes)
        << ", \"outputs\": {";
    bool first = true;
    for (const auto& [name, t] : r.outputs) {
      if (t.untyped && !t.known) continue;  // never a number or a boolean: a date or text shown where known
      out << (first ? "" : ", ") << json_quote(name) << ": {\"" << (t.boolean ? "true" : "sum")
          << "\": " << t.sum.to_string() << ", \"known\": " << t.known << ", \"unknown\": " << t.unknown << "}";
      first = false;
    }
    out << "}}";
  }
  out << "\n  ]\n}\n";
  return out.str();
}

std::optional<Summary> Summary::from_json(std::string_view text, const std::string& name, std::vector<Error>& errors) {
  DocumentResult doc = Document::parse(text, name);
  if (!doc.document) {
    errors.insert(errors.end(), doc.errors.begin(), doc.errors.end());
    return std::nullopt;
  }
  Reader in{name, errors};
  const Value& root = doc.document->root();
  Summary s;
  if (const Value* pack = in.member(root, "$", "pack", Kind::object)) {
    if (const Value* id = in.member(*pack, "$.pack", "id", Kind::string)) s.pack_ = id->as_string();
    if (const Value* v = in.member(*pack, "$.pack", "version", Kind::string)) s.version_ = v->as_string();
    if (pack->as_object().find("hash"))
      if (const Value* h = in.member(*pack, "$.pack", "hash", Kind::string)) s.hash_ = h->as_string();
  }
  // "as_of" reads as a date; written back the same.
  if (const Value* a = root.as_object().find("as_of"); a && a->kind() == Kind::date)
    s.as_of_ = a->as_date().to_string();
  else
    in.fail("$.as_of", "a date YYYY-MM-DD", "日期 YYYY-MM-DD");
  s.records_ = in.count(root, "$", "records");
  s.invalid_ = in.count(root, "$", "invalid");
  s.outcomes_ = in.counts(root, "$");
  // The counts say the same thing several ways: they must agree (records never wrap here).
  std::uint64_t evaluated = s.records_ - std::min(s.invalid_, s.records_);
  if (in.ok && s.invalid_ > s.records_)
    in.fail("$.invalid", "at most the " + std::to_string(s.records_) + " records",
            "不超过材料总数 " + std::to_string(s.records_));
  if (in.ok && sum_of(s.outcomes_) != evaluated)
    in.fail("$.outcomes", outcomes_add_up(evaluated, sum_of(s.outcomes_)),
            outcomes_add_up_zh(evaluated, sum_of(s.outcomes_)));
  if (const Value* rules = in.member(root, "$", "rules", Kind::list)) {
    const List& list = rules->as_list();
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      std::string path = "$.rules[" + std::to_string(i) + "]";
      const Value& r = list.items[i];
      RuleTotal t;
      if (const Value* id = in.member(r, path, "id", Kind::string)) t.id = id->as_string();
      if (std::any_of(s.rules_.begin(), s.rules_.end(), [&](auto& x) { return x.id == t.id; }))
        in.fail(path + ".id", "each rule once (" + t.id + " is listed twice)",
                "每条规则只列一次（" + t.id + " 列了两次）");
      t.outcomes = in.counts(r, path);
      if (in.ok && sum_of(t.outcomes) != evaluated)
        in.fail(path + ".outcomes", outcomes_add_up(evaluated, sum_of(t.outcomes)),
                outcomes_add_up_zh(evaluated, sum_of(t.outcomes)));
      if (const Value* outputs = in.member(r, path, "outputs", Kind::object)) {
        for (const auto& [oname, o] : outputs->as_object().members) {
          std::string opath = path + ".outputs." + oname;
          OutputTotal total;
          total.boolean = o.kind() == Kind::object && o.as_object().find("true");
          if (total.boolean && o.as_object().find("sum"))
            in.fail(opath, "a sum or a count of true, not both", "sum（求和）或 true（为真的份数）之一，不能两者都有");
          if (const Value* sum = in.member(o, opath, total.boolean ? "true" : "sum", Kind::number))
            total.sum = sum->as_number();
          total.known = in.count(o, opath, "known");
          total.unknown = in.count(o, opath, "unknown");
          if (in.ok && (total.known > evaluated || total.unknown > evaluated - total.known))
            in.fail(opath, "known and unknown counts within the " + std::to_string(evaluated) + " records evaluated",
                    "known 与 unknown 的份数合计不超过已判定的 " + std::to_string(evaluated) + " 份");
          t.outputs.push_back({oname, total});
        }
      }
      s.rules_.push_back(std::move(t));
    }
  }
  if (!in.ok) return std::nullopt;
  return s;
}

std::string Summary::to_text(std::string_view lang) const {
  bool zh = lang != "en";
  std::ostringstream out;
  out << (zh ? "规则包 " : "pack ") << pack_ << " " << version_ << (zh ? "，判定日期 " : ", as of ") << as_of_
      << (zh ? "：" : ": ") << records_ << (zh ? " 份材料，其中 " : " records, ") << invalid_
      << (zh ? " 份无法判定（格式或数据错误）\n" : " invalid (malformed or breaking the schema)\n");
  auto row = [&](const std::string& label, const std::array<std::uint64_t, 5>& c) {
    out << "  " << label;
    for (std::size_t pad = columns(label); pad < 14; ++pad) out << ' ';
    for (Outcome o : all_outcomes) {
      std::string n = std::to_string(c[std::size_t(o)]);
      out << std::string(n.size() < 16 ? 16 - n.size() : 1, ' ') << n;
    }
    out << "\n";
  };
  out << "  " << std::string(14, ' ');
  for (Outcome o : all_outcomes) {  // the outcomes as the reviewer's report says them
    std::string_view w = zh ? report::word(report::words("zh"), o) : to_string(o);
    out << std::string(16 - columns(w), ' ') << w;
  }
  out << "\n";
  row(zh ? "(整份材料)" : "(document)", outcomes_);
  for (const auto& r : rules_) {
    row(r.id, r.outcomes);
    for (const auto& [name, t] : r.outputs) {
      if (!t.known) continue;  // never a number or a boolean (a list, a date…): nothing to add up
      out << "      " << name << (t.boolean ? (zh ? "  为真 " : "  true in ") : "  Σ ") << t.sum.to_string()
          << (zh ? "（" : " (") << t.known << (zh ? " 份可算，" : " known, ") << t.unknown
          << (zh ? " 份缺数据）\n" : " unknown)\n");
    }
  }
  return out.str();
}

}  // namespace rulebook
