// Where batch inputs come from: JSON Lines (a file or standard input), folders of JSON
// files, and CSV sheets whose columns a mapping file ties to document fields. Each source
// reads as it goes, so memory does not grow with the input.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "batch/json_tree.hpp"
#include "rulebook/batch.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

using detail::json_quote;
using detail::JsonTree;

namespace fs = std::filesystem;

Error io_error(const std::string& file, std::string message, int line = 0) {
  return {Error::Code::io, std::move(message), {file, line, line ? 1 : 0}, {}, {}};
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// Reads a line into `line`, keeping at most `limit` bytes of it: the rest of a longer one is
// read past, not kept (an endless line must not exhaust memory). False at the end of the input.
bool bounded_line(std::istream& in, std::string& line, std::size_t limit, bool& too_long, std::uint64_t& read) {
  line.clear();
  too_long = false;
  std::streambuf* buf = in.rdbuf();
  int c = buf->sbumpc();
  if (c == EOF) return false;
  for (; c != EOF && c != '\n'; c = buf->sbumpc()) {
    ++read;
    if (line.size() < limit)
      line.push_back(char(c));
    else
      too_long = true;
  }
  ++read;
  return true;
}

// One JSON document per line; blank lines are skipped but still counted.
class JsonLines final : public InputSource {
 public:
  JsonLines(std::string name, std::unique_ptr<std::istream> owned, std::istream& in, std::uint64_t total,
            const InputLimits& limits)
      : name_(std::move(name)), owned_(std::move(owned)), in_(in), total_(total), limit_(limits.max_bytes) {}

  bool next(BatchInput& input) override {
    bool too_long = false;
    while (bounded_line(in_, line_, limit_, too_long, read_)) {
      ++number_;
      if (!too_long && blank(line_)) continue;
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      input.source = name_;
      input.line = number_;
      input.errors.clear();
      if (too_long) {
        line_.clear();
        input.errors.push_back({Error::Code::limit,
                                "the line is longer than the limit of " + std::to_string(limit_) +
                                    " bytes for a document (read past, not kept)",
                                {name_, int(number_), 1},
                                {},
                                {}});
      }
      input.text.swap(line_);
      return true;
    }
    return false;
  }
  std::uint64_t bytes_read() const override { return read_; }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  std::string name_;
  std::unique_ptr<std::istream> owned_;
  std::istream& in_;
  std::uint64_t total_, read_ = 0;
  std::size_t limit_;
  std::size_t number_ = 0;
  std::string line_;
};

// A JSON file holding one document.
class WholeFile final : public InputSource {
 public:
  WholeFile(fs::path file, const InputLimits& limits) : file_(std::move(file)), limits_(limits) {}
  bool next(BatchInput& input) override {
    if (done_) return false;
    done_ = true;
    input.source = file_.string();
    input.line = 0;
    input.errors.clear();
    InputText read = read_input(input.source, limits_);  // under the byte limit as it is read
    input.text = std::move(read.text);
    if (read.error) input.errors.push_back(std::move(*read.error));
    return true;
  }
  std::uint64_t bytes_read() const override { return 0; }
  std::uint64_t bytes_total() const override { return 0; }

 private:
  fs::path file_;
  InputLimits limits_;
  bool done_ = false;
};

// CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks) whose
// columns a mapping file ties to document paths and types.
class CsvRows final : public InputSource {
 public:
  struct Column {
    std::vector<std::string> path;  ///< "contract.amount" → {"contract", "amount"}; "[0]" steps index lists
    std::string type = "string";    ///< string, number, boolean or date
  };

  CsvRows(std::string name, std::unique_ptr<std::istream> in, std::uint64_t total, const InputLimits& limits)
      : name_(std::move(name)), in_(std::move(in)), total_(total), limit_(limits.max_bytes) {}

  /// Reads the header and checks it against the mapping: every column mapped or ignored.
  void open(const std::string& mapping_file, std::vector<Error>& errors) {
    std::size_t before = errors.size();
    std::map<std::string, Column> mapping = read_mapping(mapping_file, errors);
    if (errors.size() != before) return;  // the header cannot be judged against a broken mapping
    std::vector<std::string> header;
    if (!row(header)) {
      errors.push_back(io_error(name_, "expected a header row naming the columns"));
      return;
    }
    if (!header.empty() && header[0].starts_with("\xEF\xBB\xBF")) header[0].erase(0, 3);  // spreadsheet BOM
    std::set<std::string> seen;
    for (const auto& h : header) {
      auto it = mapping.find(h);
      if (it == mapping.end()) {
        errors.push_back(io_error(name_,
                                  "column '" + h + "' is not in the mapping " + mapping_file +
                                      ": map it under columns: or list it under ignore:",
                                  1));
        continue;
      }
      columns_.push_back(it->second);
      seen.insert(h);
      names_.push_back(h);
    }
    for (const auto& [name, c] : mapping)
      if (!seen.count(name))
        errors.push_back(io_error(mapping_file, "the mapping names column '" + name + "', which " + name_ + " lacks"));
  }

  bool next(BatchInput& input) override {
    std::vector<std::string> cells;
    std::size_t line = line_ + 1;
    do {
      line = line_ + 1;
      if (!row(cells)) return false;
    } while (cells.size() == 1 && blank(cells[0]));
    input.source = name_;
    input.line = line;
    input.errors.clear();
    if (row_too_long_) {  // an unterminated quote, or a row that never ends
      input.text.clear();
      input.errors.push_back(io_error(name_,
                                      "the row is longer than the limit of " + std::to_string(limit_) +
                                          " bytes for a document (an unterminated quote?)",
                                      int(line)));
      return true;
    }
    input.text = to_json(cells, line, input.errors);
    return true;
  }
  std::uint64_t bytes_read() const override { return read_; }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  static std::map<std::string, Column> read_mapping(const std::string& file, std::vector<Error>& errors) {
    std::map<std::string, Column> out;
    try {
      YAML::Node root = YAML::LoadFile(file);
      auto bad = [&](const YAML::Node& at, const std::string& what) {
        errors.push_back(
            {Error::Code::yaml, "expected " + what, {file, at.Mark().line + 1, at.Mark().column + 1}, {}, {}});
      };
      if (!root.IsMap() || !root["columns"] || !root["columns"].IsMap()) {
        bad(root, "a mapping with 'columns:' (column header: document path, or {path, type})");
        return out;
      }
      for (const auto& kv : root["columns"]) {
        Column c;
        std::string path;
        if (kv.second.IsScalar()) {
          path = kv.second.as<std::string>();
        } else if (kv.second.IsMap() && kv.second["path"]) {
          path = kv.second["path"].as<std::string>();
          if (kv.second["type"]) c.type = kv.second["type"].as<std::string>();
        } else {
          bad(kv.second, "a document path such as contract.amount, or {path: …, type: …}");
          continue;
        }
        if (c.type != "string" && c.type != "number" && c.type != "boolean" && c.type != "date")
          bad(kv.second, "type string, number, boolean or date, got '" + c.type + "'");
        // "patents[0].kind" → patents, [0], kind
        std::string step;
        for (char ch : path + ".") {
          if (ch == '.' || ch == '[') {
            if (!step.empty()) c.path.push_back(step);
            step = ch == '[' ? "[" : "";
          } else if (ch != ']') {
            step += ch;
          }
        }
        if (c.path.empty()) bad(kv.second, "a document path");
        // An index is a small whole number: [100000000] would build a list of that many elements.
        for (const auto& part : c.path)
          if (part[0] == '[' &&
              (part.size() < 2 || part.size() > 4 || part.find_first_not_of("0123456789", 1) != std::string::npos))
            bad(kv.second, "a list index from [0] to [999] in the path, got '" + excerpt(part) + "]'");
        out[kv.first.as<std::string>()] = c;
      }
      // Columns kept in the sheet but not read: no path.
      if (const auto& ignore = root["ignore"]; ignore && ignore.IsSequence())
        for (const auto& col : ignore) out[col.as<std::string>()] = Column{};
    } catch (const YAML::Exception& e) {
      errors.push_back({Error::Code::yaml, e.msg, {file, e.mark.line + 1, e.mark.column + 1}, {}, {}});
    }
    return out;
  }

  // One CSV record; false at the end of the input.
  bool row(std::vector<std::string>& cells) {
    cells.assign(1, {});
    int c = in_->get();
    if (c == EOF) return false;
    bool quoted = false;
    ++line_;
    std::size_t kept = 0;
    row_too_long_ = false;
    for (; c != EOF; c = in_->get()) {
      ++read_;
      char ch = char(c);
      if (++kept > limit_) {  // read past the rest, keep none of it
        row_too_long_ = true;
        if (!quoted && ch == '\n') break;
        if (ch == '"') quoted = !quoted;
        continue;
      }
      if (quoted) {
        if (ch == '"') {
          if (in_->peek() == '"') {
            cells.back() += '"';
            in_->get();
            ++read_;
          } else {
            quoted = false;
          }
        } else {
          if (ch == '\n') ++line_;
          cells.back() += ch;
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        cells.emplace_back();
      } else if (ch == '\n') {
        break;
      } else if (ch != '\r') {
        cells.back() += ch;
      }
    }
    return true;
  }

  std::string to_json(const std::vector<std::string>& cells, std::size_t line, std::vector<Error>& errors) const {
    JsonTree root;
    if (cells.size() != columns_.size())
      errors.push_back(io_error(name_,
                                "expected " + std::to_string(columns_.size()) + " cells as in the header, got " +
                                    std::to_string(cells.size()),
                                int(line)));
    for (std::size_t i = 0; i < cells.size() && i < columns_.size(); ++i) {
      const Column& col = columns_[i];
      std::string cell = cells[i];
      cell.erase(0, cell.find_first_not_of(" \t"));
      cell.erase(cell.find_last_not_of(" \t") + 1);
      if (col.path.empty() || cell.empty()) continue;  // an empty cell is missing data, never false or 0
      std::string json;
      auto bad = [&](const std::string& what) {
        errors.push_back(
            io_error(name_, "column '" + names_[i] + "': expected " + what + ", got '" + cell + "'", int(line)));
      };
      if (col.type == "number") {
        std::string digits;
        for (char ch : cell)
          if (ch != ',') digits += ch;  // thousands separators as spreadsheets write them
        if (Decimal::parse(digits) && digits.find_first_not_of("+-0123456789.eE") == std::string::npos)
          json = digits[0] == '+' ? digits.substr(1) : digits;
        else
          bad("a number");
      } else if (col.type == "boolean") {
        static const std::vector<std::string> yes{"true", "TRUE", "True", "yes", "是", "1"},
            no{"false", "FALSE", "False", "no", "否", "0"};
        if (std::find(yes.begin(), yes.end(), cell) != yes.end())
          json = "true";
        else if (std::find(no.begin(), no.end(), cell) != no.end())
          json = "false";
        else
          bad("true or false (是/否, yes/no, 1/0)");
      } else if (col.type == "date") {
        if (Date::parse(cell))
          json = json_quote(cell);
        else
          bad("a date YYYY-MM-DD");
      } else {
        if (invalid_utf8(cell)) bad("UTF-8 text");
        json = json_quote(cell);
      }
      if (json.empty()) continue;
      JsonTree* n = &root;
      for (const auto& step : col.path) {
        if (step[0] == '[') {
          n->is_list = true;
          std::size_t k = std::size_t(std::stoul("0" + step.substr(1)));
          while (n->members.size() <= k) n->members.emplace_back();  // list elements need no key
          n = &n->members[k];
        } else {
          n = &n->child(step);
        }
      }
      n->leaf = json;
    }
    std::string out;
    root.write(out);
    return out;
  }

  std::string name_;
  std::unique_ptr<std::istream> in_;
  std::uint64_t total_, read_ = 0;
  std::size_t limit_;
  bool row_too_long_ = false;
  std::size_t line_ = 0;
  std::vector<Column> columns_;
  std::vector<std::string> names_;
};

// The sources of several paths, one after the other.
class Sequence final : public InputSource {
 public:
  void add(std::unique_ptr<InputSource> s) { parts_.push_back(std::move(s)); }
  bool next(BatchInput& input) override {
    for (; at_ < parts_.size(); ++at_) {
      if (parts_[at_]->next(input)) return true;
      done_ += std::max(parts_[at_]->bytes_read(), parts_[at_]->bytes_total());
    }
    return false;
  }
  std::uint64_t bytes_read() const override { return done_ + (at_ < parts_.size() ? parts_[at_]->bytes_read() : 0); }
  std::uint64_t bytes_total() const override {
    std::uint64_t t = 0;
    for (const auto& p : parts_) {
      if (!p->bytes_total()) return 0;
      t += p->bytes_total();
    }
    return t;
  }

 private:
  std::vector<std::unique_ptr<InputSource>> parts_;
  std::size_t at_ = 0;
  std::uint64_t done_ = 0;
};

std::unique_ptr<std::istream> open_file(const fs::path& p, std::uint64_t& size, std::vector<Error>& errors) {
  // A device (/dev/zero, a terminal) never ends: only files and pipes are inputs.
  std::error_code ec;
  auto status = fs::status(p, ec);
  if (!ec && status.type() != fs::file_type::regular && status.type() != fs::file_type::fifo) {
    errors.push_back(io_error(p.string(), "is not a regular file or a pipe"));
    return nullptr;
  }
  auto in = std::make_unique<std::ifstream>(p, std::ios::binary);
  if (!*in) {
    errors.push_back(io_error(p.string(), "cannot read the file"));
    return nullptr;
  }
  size = fs::file_size(p, ec);
  if (ec) size = 0;
  return in;
}

}  // namespace

OpenedInput open_input(const std::vector<std::string>& paths, const std::string& csv_mapping,
                       const InputLimits& limits) {
  OpenedInput opened;
  auto all = std::make_unique<Sequence>();
  std::vector<std::string> list = paths.empty() ? std::vector<std::string>{"-"} : paths;
  for (const auto& p : list) {
    std::uint64_t size = 0;
    if (!csv_mapping.empty()) {
      std::unique_ptr<std::istream> in;
      if (p == "-")
        in = std::make_unique<std::istream>(std::cin.rdbuf());
      else
        in = open_file(p, size, opened.errors);
      if (!in) continue;
      auto rows = std::make_unique<CsvRows>(p, std::move(in), size, limits);
      rows->open(csv_mapping, opened.errors);
      all->add(std::move(rows));
    } else if (p == "-") {
      all->add(std::make_unique<JsonLines>("-", nullptr, std::cin, 0, limits));
    } else if (std::error_code ec; fs::is_directory(p, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.is_regular_file() && (e.path().extension() == ".json" || e.path().extension() == ".jsonl"))
          files.push_back(e.path());
      if (ec) opened.errors.push_back(io_error(p, "cannot list the folder: " + ec.message()));
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        if (f.extension() == ".json") {
          all->add(std::make_unique<WholeFile>(f, limits));
        } else if (auto in = open_file(f, size, opened.errors)) {
          std::istream& ref = *in;
          all->add(std::make_unique<JsonLines>(f.string(), std::move(in), ref, size, limits));
        }
      }
    } else if (auto in = open_file(p, size, opened.errors)) {
      std::istream& ref = *in;
      all->add(std::make_unique<JsonLines>(p, std::move(in), ref, size, limits));
    }
  }
  if (opened.errors.empty()) opened.source = std::move(all);
  return opened;
}

}  // namespace rulebook
