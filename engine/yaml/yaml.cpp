#include "yaml/yaml.hpp"

#include <libfyaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "value/utf8.hpp"

namespace rulebook::yaml {
namespace detail {

struct NodeData {
  Kind kind = Kind::null;
  bool plain = false;
  Mark mark;
  std::string text;
  std::vector<std::uint32_t> children;  // a sequence's elements; a map's keys and values, alternating
  std::uint64_t size = 0;               // what it stands for, its aliases expanded (see node_size); 0 while open
};

// INVARIANT: nodes never move once the tree is built; an alias is the index of its anchor's node.
struct Tree {
  std::vector<NodeData> nodes;
  Node node(std::uint32_t i) const { return Node(this, i); }
};

}  // namespace detail

namespace {

const std::string no_text;

// Deeper than this the document is refused: the tree is built without recursion, but its
// readers recurse (yaml_to_json stops at 256; the previous parser refused 2000 levels too).
constexpr int max_depth = 2000;

// What a node stands for once its aliases are expanded, as its readers see it: its text and 8
// bytes a node. An alias repeats its anchor's node, so a few hundred bytes can stand for
// gigabytes ("billion laughs"); the document is refused when its nodes stand for more than
// 64 MiB, or 16 times its text (which no document without aliases reaches). An alias inside
// the node it names (a cycle) counts as one node: its readers bound it by depth.
constexpr std::uint64_t node_size = 8;
std::uint64_t most_expanded(std::string_view text) { return std::max<std::uint64_t>(64u << 20, 16 * text.size()); }

// Line and column (bytes, from 0) of each offset, counting '\n' only: positions have always been
// reported so (batch's mapping errors show the column); libfyaml counts columns in characters.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {
    for (auto nl = text.find('\n'); nl != std::string_view::npos; nl = text.find('\n', nl + 1))
      starts_.push_back(nl + 1);
  }
  Mark at(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    auto line = std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin();
    std::size_t start = line == 0 ? 0 : starts_[static_cast<std::size_t>(line - 1)];
    return {offset, static_cast<int>(line), static_cast<int>(offset - start)};
  }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

// Where a scalar's token starts as written: libfyaml marks the content, after the opening quote
// or on the line after a block scalar's header; a node is marked at the quote or the `|`/`>`, where
// expr::SourceMap expects it.
std::size_t written_start(std::string_view text, std::size_t at, fy_token* value) {
  if (!value || at > text.size()) return at;
  switch (fy_token_scalar_style(value)) {
    case FYSS_SINGLE_QUOTED:
    case FYSS_DOUBLE_QUOTED: return at > 0 && (text[at - 1] == '\'' || text[at - 1] == '"') ? at - 1 : at;
    case FYSS_LITERAL:
    case FYSS_FOLDED: {
      // The header is the nearest line above the content with more than spaces; its indicator
      // the first `|` or `>` followed by indentation and chomping digits or signs, then only a
      // comment or nothing.
      std::size_t line_end = text.rfind('\n', at == 0 ? 0 : at - 1);
      while (line_end != std::string_view::npos) {
        std::size_t line_start = line_end == 0 ? 0 : text.rfind('\n', line_end - 1);
        line_start = line_start == std::string_view::npos || line_end == 0 ? 0 : line_start + 1;
        auto line = text.substr(line_start, line_end - line_start);
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
          for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] != '|' && line[i] != '>') continue;
            std::size_t k = line.find_first_not_of("+-0123456789", i + 1);
            k = line.find_first_not_of(" \t\r", k == std::string_view::npos ? line.size() : k);
            if (k == std::string_view::npos || (line[k] == '#' && k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t')))
              return line_start + i;
          }
          return at;
        }
        if (line_start == 0) return at;
        line_end = line_start - 1;
      }
      return at;
    }
    default: return at;
  }
}

// Where a token starts as written: libfyaml marks an anchor or an alias after its `&` or `*`.
std::optional<std::size_t> token_start(std::string_view text, fy_token* t) {
  const fy_mark* m = t ? fy_token_start_mark(t) : nullptr;
  if (!m) return std::nullopt;
  std::size_t at = m->input_pos;
  auto type = fy_token_get_type(t);
  if (at > 0 && at <= text.size() &&
      ((type == FYTT_ANCHOR && text[at - 1] == '&') || (type == FYTT_ALIAS && text[at - 1] == '*')))
    --at;
  return at;
}

// Where a node starts: at its anchor or tag if it has one, written before it.
Mark start_of(fy_event* e, fy_token* value, const Lines& lines, Mark fallback) {
  std::optional<std::size_t> best;
  if (value) {
    if (auto at = token_start(lines.text(), value)) best = written_start(lines.text(), *at, value);
  } else if (const fy_mark* m = fy_event_start_mark(e)) {
    best = m->input_pos;
    if (e->type == FYET_ALIAS) best = token_start(lines.text(), e->alias.anchor);
  }
  for (fy_token* t : {fy_event_get_anchor_token(e), fy_event_get_tag_token(e)})
    if (auto at = token_start(lines.text(), t); at && (!best || *at < *best)) best = at;
  return best ? lines.at(*best) : fallback;
}

std::string_view token_text(fy_token* t) {
  std::size_t len = 0;
  const char* s = t ? fy_token_get_text(t, &len) : nullptr;
  return s ? std::string_view(s, len) : std::string_view();
}

// A block scalar (`|`, `>`, either with `-`) whose lines all stand at one indentation, with no
// empty line between them and no tab, carriage return or trailing space: its lines joined by a
// line break (`|`) or a space (`>`, as nothing is more indented), and a line break unless `-`.
// Nullopt for any other: libfyaml formats it.
std::optional<std::string> simple_block(std::string_view text, std::size_t content, bool literal) {
  // INVARIANT: libfyaml marks a block scalar's content at the start of the line after its header.
  if (content == 0 || text[content - 1] != '\n') return std::nullopt;
  std::size_t header_end = content - 1;
  std::size_t header_start = header_end == 0 ? std::string_view::npos : text.rfind('\n', header_end - 1);
  auto header = text.substr(header_start == std::string_view::npos ? 0 : header_start + 1,
                            header_end - (header_start == std::string_view::npos ? 0 : header_start + 1));
  bool strip = !header.empty() && header.back() == '-';
  if (strip) header.remove_suffix(1);
  if (header.size() < 2 || header.back() != (literal ? '|' : '>') || header[header.size() - 2] != ' ')
    return std::nullopt;
  std::string out;
  std::size_t indent = 0, at = content;
  bool ended = false;  // the last line has its line break
  for (bool first = true; at < text.size(); first = false) {
    std::size_t nl = text.find('\n', at);
    auto line = text.substr(at, (nl == std::string_view::npos ? text.size() : nl) - at);
    std::size_t k = line.find_first_not_of(' ');
    if (k == std::string_view::npos) break;  // an empty line: the end, or else not simple (below)
    if (first) indent = k;
    if (k < indent) break;  // less indented: the scalar has ended
    auto body = line.substr(k);
    if (k > indent || indent == 0 || body.find_first_of("\t\r") != std::string_view::npos || body.back() == ' ')
      return std::nullopt;
    if (!first) out += literal ? '\n' : ' ';
    out += body;
    ended = nl != std::string_view::npos;
    at = ended ? nl + 1 : text.size();
  }
  if (out.empty() || !ended) return std::nullopt;  // at the end of the text without a line break: libfyaml's
  // Empty lines may follow only if what comes next is less indented (they belong to no line).
  for (std::size_t next = at; next < text.size();) {
    std::size_t nl = text.find('\n', next);
    auto line = text.substr(next, (nl == std::string_view::npos ? text.size() : nl) - next);
    std::size_t k = line.find_first_not_of(' ');
    if (k != std::string_view::npos) {
      if (k >= indent) return std::nullopt;
      break;
    }
    if (nl == std::string_view::npos) break;
    next = nl + 1;
  }
  if (!strip) out += '\n';
  return out;
}

// A scalar's text. libfyaml formats each one through its atom iterator, a quarter of the time
// of reading a rule file; one written on one line, plain, or quoted with nothing to unescape, is
// its bytes as written (between the quotes: libfyaml marks the content), taken as they are, and
// a simple block scalar is put together here.
std::string scalar_text(std::string_view text, fy_token* t) {
  const fy_mark* start = t ? fy_token_start_mark(t) : nullptr;
  const fy_mark* end = t ? fy_token_end_mark(t) : nullptr;
  if (start && end && start->input_pos <= end->input_pos && end->input_pos <= text.size()) {
    auto raw = text.substr(start->input_pos, end->input_pos - start->input_pos);
    bool one_line = start->line == end->line;
    switch (fy_token_scalar_style(t)) {
      case FYSS_PLAIN:
        if (one_line) return std::string(raw);
        break;
      case FYSS_SINGLE_QUOTED:
        if (one_line && raw.find('\'') == std::string_view::npos) return std::string(raw);
        break;
      case FYSS_DOUBLE_QUOTED:
        if (one_line && raw.find('\\') == std::string_view::npos) return std::string(raw);
        break;
      case FYSS_LITERAL:
      case FYSS_FOLDED:
        if (auto block = simple_block(text, start->input_pos, fy_token_scalar_style(t) == FYSS_LITERAL))
          return std::move(*block);
        break;
      default: break;
    }
  }
  return std::string(token_text(t));
}

// The byte offset of (line, column) in `text`, for an error libfyaml gave without a token; its
// columns count characters.
std::size_t offset_of(std::string_view text, int line, int column) {
  std::size_t at = 0;
  for (int l = 0; l < line && at < text.size(); ++l) {
    auto nl = text.find('\n', at);
    if (nl == std::string_view::npos) return text.size();
    at = nl + 1;
  }
  for (int c = 0; c < column && at < text.size() && text[at] != '\n'; ++c) do
      ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80);
  return at;
}

// libfyaml writes its diagnostics nowhere: the parser's first error is collected and returned.
void silent(fy_diag*, void*, const char*, size_t) {}

struct Parser {
  fy_diag* diag = nullptr;
  fy_parser* parser = nullptr;
  explicit Parser(std::string_view text) {
    fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = nullptr;
    dcfg.output_fn = silent;
    dcfg.colorize = false;
    diag = fy_diag_create(&dcfg);
    if (diag) fy_diag_set_collect_errors(diag, true);
    fy_parse_cfg cfg{};
    cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_ALLOW_DUPLICATE_KEYS |
                                                FYPCF_DISABLE_MMAP_OPT | FYPCF_JSON_NONE);
    cfg.diag = diag;
    parser = fy_parser_create(&cfg);
    if (parser && fy_parser_set_string(parser, text.data(), text.size()) != 0) {  // no input: no parser
      fy_parser_destroy(parser);
      parser = nullptr;
    }
  }
  ~Parser() {
    if (parser) fy_parser_destroy(parser);
    if (diag) fy_diag_destroy(diag);
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // The first error libfyaml reported, at its token (or line and column) when it gave one.
  Error error(const Lines& lines, Mark fallback) {
    Error e{"cannot parse the YAML", fallback};
    void* it = nullptr;
    if (const fy_diag_error* d = diag ? fy_diag_errors_iterate(diag, &it) : nullptr) {
      if (d->msg) e.message = d->msg;
      if (auto at = token_start(lines.text(), d->fyt))
        e.mark = lines.at(*at);
      else if (d->line >= 0)
        e.mark = lines.at(offset_of(lines.text(), d->line, d->column));
    }
    return e;
  }
};

}  // namespace

Node::Node(const detail::Tree* tree, std::uint32_t index) : tree_(tree), data_(&tree->nodes[index]) {}

Kind Node::kind() const { return data_ ? data_->kind : Kind::null; }
bool Node::plain() const { return data_ && data_->plain; }
const std::string& Node::text() const { return data_ ? data_->text : no_text; }
Mark Node::mark() const { return data_ ? data_->mark : Mark{}; }

std::size_t Node::size() const {
  if (!data_) return 0;
  if (data_->kind == Kind::map) return data_->children.size() / 2;
  if (data_->kind == Kind::sequence) return data_->children.size();
  return 0;
}

std::vector<Node> Node::elements() const {
  std::vector<Node> out;
  if (!is_sequence()) return out;
  out.reserve(data_->children.size());
  for (auto i : data_->children) out.push_back(tree_->node(i));
  return out;
}

std::vector<Pair> Node::pairs() const {
  std::vector<Pair> out;
  if (!is_map()) return out;
  out.reserve(data_->children.size() / 2);
  for (std::size_t i = 0; i + 1 < data_->children.size(); i += 2)
    out.push_back({tree_->node(data_->children[i]), tree_->node(data_->children[i + 1])});
  return out;
}

Node Node::operator[](std::string_view key) const {
  if (!is_map()) return {};
  for (std::size_t i = 0; i + 1 < data_->children.size(); i += 2) {
    const auto& k = tree_->nodes[data_->children[i]];
    if (k.kind == Kind::scalar && k.text == key) return tree_->node(data_->children[i + 1]);
  }
  return {};
}

Document::Document() : tree_(std::make_unique<detail::Tree>()) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Node Document::root() const {
  if (!tree_ || tree_->nodes.empty()) return {};
  return tree_->node(0);
}

Parsed parse(std::string_view text, Known known) {
  Parsed out;
  detail::Tree& tree = *out.document.tree_;
  // libfyaml would end the text at a NUL byte, silently: YAML allows none, so it is an error.
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    out.error = Error{"a NUL byte, which YAML does not allow", Lines(text).at(nul)};
    return out;
  }
  // YAML is Unicode text; libfyaml loops for ever on some bytes that are not UTF-8 (a `%`
  // directive followed by a stray 0xC2, found by fuzzing run_cases).
  if (auto bad = known == Known::valid_utf8 ? std::nullopt : invalid_utf8(text)) {
    out.error = Error{"invalid UTF-8", Lines(text).at(*bad)};
    return out;
  }
  Parser p(text);
  const Lines lines(text);
  const std::uint64_t most = most_expanded(text);
  if (!p.parser) {
    out.error = Error{"cannot start the YAML parser", {}};
    return out;
  }
  std::map<std::string, std::uint32_t, std::less<>> anchors;  // the latest node of each anchor
  std::vector<std::uint32_t> open;                            // the sequences and maps being read
  Mark last;                                                  // for a node libfyaml gives no mark
  bool done = false, after_first = false;
  // Adds a node as the root or as the next child of the innermost open collection.
  auto add = [&](std::uint32_t i) {
    if (!open.empty()) tree.nodes[open.back()].children.push_back(i);
  };
  auto anchor = [&](fy_event* e, std::uint32_t i) {
    if (auto name = token_text(fy_event_get_anchor_token(e)); !name.empty()) anchors[std::string(name)] = i;
  };
  while (!done) {
    fy_event* e = fy_parser_parse(p.parser);
    if (!e) {
      if (fy_parser_get_stream_error(p.parser)) out.error = p.error(lines, last);
      break;
    }
    if (const fy_mark* m = fy_event_end_mark(e)) last = lines.at(m->input_pos);
    switch (e->type) {
      // The first document only, as always; what follows it up to the next
      // document is still checked (a line indented less than its sequence is an error).
      case FYET_DOCUMENT_END: after_first = true; break;
      case FYET_DOCUMENT_START: done = after_first; break;
      case FYET_STREAM_END: done = true; break;
      case FYET_SCALAR: {
        auto i = static_cast<std::uint32_t>(tree.nodes.size());
        auto& n = tree.nodes.emplace_back();
        fy_token* value = e->scalar.value;
        n.text = scalar_text(text, value);
        n.plain =
            fy_event_get_tag_token(e) == nullptr && (value == nullptr || fy_token_scalar_style(value) == FYSS_PLAIN);
        n.kind =
            n.plain && (n.text.empty() || n.text == "~" || n.text == "null" || n.text == "Null" || n.text == "NULL")
                ? Kind::null
                : Kind::scalar;
        if (n.kind == Kind::null) n.text.clear();
        n.size = node_size + n.text.size();
        n.mark = start_of(e, value, lines, last);
        anchor(e, i);
        add(i);
        break;
      }
      case FYET_ALIAS: {
        auto it = anchors.find(token_text(e->alias.anchor));
        if (it == anchors.end()) {  // libfyaml reports an unknown alias itself; in case it does not
          out.error = Error{"unknown anchor '" + std::string(token_text(e->alias.anchor)) + "'",
                            start_of(e, nullptr, lines, last)};
          done = true;
          break;
        }
        add(it->second);
        break;
      }
      case FYET_SEQUENCE_START:
      case FYET_MAPPING_START: {
        auto i = static_cast<std::uint32_t>(tree.nodes.size());
        auto& n = tree.nodes.emplace_back();
        n.kind = e->type == FYET_MAPPING_START ? Kind::map : Kind::sequence;
        n.mark = start_of(e, nullptr, lines, last);
        anchor(e, i);
        add(i);
        open.push_back(i);
        if (open.size() > max_depth) {
          out.error = Error{"YAML nested too deeply (more than " + std::to_string(max_depth) + " levels)", n.mark};
          done = true;
        }
        break;
      }
      case FYET_SEQUENCE_END:
      case FYET_MAPPING_END: {
        auto& n = tree.nodes[open.back()];
        n.size = node_size;
        for (std::uint32_t k : n.children)
          n.size = std::min(n.size + std::max(tree.nodes[k].size, node_size), most + 1);  // open: a cycle
        if (n.size > most) {
          out.error = Error{
              "YAML that stands for more than " + std::to_string(most >> 20) + " MiB once its aliases are expanded",
              n.mark};
          done = true;
        }
        open.pop_back();
        break;
      }
      default: break;
    }
    fy_parser_event_free(p.parser, e);
  }
  if (out.error)
    out.document = Document();
  else if (tree.nodes.empty())
    tree.nodes.emplace_back();  // an empty text: a null root
  return out;
}

Parsed parse_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  if (!in || in.bad()) {
    Parsed out;
    out.error = Error{"bad file: " + path.string(), {}};
    return out;
  }
  return parse(ss.str());
}

}  // namespace rulebook::yaml
