// Where batch inputs come from: JSON Lines (a file or standard input), folders of JSON
// files, and CSV sheets whose columns a mapping file ties to document fields. Each source
// reads as it goes, so memory does not grow with the input.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "batch/csv.hpp"
#include "batch/fast_reader.hpp"
#include "batch/json_tree.hpp"
#include "rulebook/batch.hpp"
#include "value/os_reason.hpp"
#include "value/utf8.hpp"

namespace rulebook {
namespace {

using detail::json_padding;
using detail::json_quote;
using detail::JsonTree;

namespace fs = std::filesystem;

Error io_error(const std::string& file, std::string message, std::string zh, int line = 0) {
  return {Error::Code::io, std::move(message), {file, line, line ? 1 : 0}, {}, {}, {}, std::move(zh)};
}

// A file the system would not open, and its reason (`err`, an errno value), in both languages.
Error cannot_read(const std::string& file, int err) {
  auto [en, zh] = detail::cannot_read_file(err);
  return io_error(file, std::move(en), std::move(zh));
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// What kept a line of JSON Lines from being read: it was longer than a document may be (read
// past), or its copy found no memory.
enum class Unread { no, too_long, out_of_memory };

// Line `number` of a JSON Lines file as an input, its text already in input.text: false for a
// blank line (skipped, still counted). A line not read is an input with an error saying why.
bool as_input(std::string_view source, std::size_t number, Unread unread, std::size_t limit, BatchInput& input) {
  if (unread == Unread::no && blank(input.text)) return false;
  if (!input.text.empty() && input.text.back() == '\r') input.text.pop_back();
  input.source = source;
  input.line = number;
  input.errors.clear();
  if (unread != Unread::no) {
    input.text.clear();
    const bool long_line = unread == Unread::too_long;
    input.errors.push_back({Error::Code::limit,
                            long_line ? "the line is longer than the limit of " + std::to_string(limit) +
                                            " bytes for a document (read past, not kept)"
                                      : std::string("the line could not be read: out of memory"),
                            {std::string(source), int(number), 1},
                            {},
                            {},
                            {},
                            long_line ? "该行超过每份文档 " + std::to_string(limit) + " 字节的上限（已跳过，未读入）"
                                      : std::string("内存不足，该行未能读入")});
  }
  return true;
}

// One JSON document per line; blank lines are skipped but still counted. The input is read
// in blocks with read(2), which returns what a pipe holds without waiting for a full block (a
// record typed into `rulebook batch -` is answered at once), and lines are found with memchr.
class JsonLines final : public InputSource {
 public:
  /// `fd` is closed at the end when `owned`.
  JsonLines(std::string name, int fd, bool owned, std::uint64_t total, const InputLimits& limits)
      : name_(std::move(name)), fd_(fd), owned_(owned), total_(total), limit_(limits.max_bytes) {}
  ~JsonLines() override {
    if (owned_) ::close(fd_);
  }
  JsonLines(const JsonLines&) = delete;
  JsonLines& operator=(const JsonLines&) = delete;

  bool next(BatchInput& input) override {
    for (bool too_long; line_.clear(), line(line_, too_long);) {
      ++number_;
      input.text.swap(line_);
      if (as_input(name_, number_, too_long ? Unread::too_long : Unread::no, limit_, input)) return true;
    }
    return false;
  }
  bool next_lines(LineBlock& block, std::size_t lines, std::size_t bytes) override {
    block.reset(name_, number_ + 1, limit_);
    for (bool too_long; block.lines < lines && block.text.size() < bytes && line(block.text, too_long);) {
      ++number_;
      ++block.lines;
      if (too_long) block.too_long.push_back(number_);
      block.text += '\n';
    }
    return block.lines > 0;
  }
  std::uint64_t bytes_read() const override { return read_; }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  static constexpr std::size_t block_size = 64u << 10;

  // Refills the block; false at the end of the input (a read error ends it too, as a
  // stream's would).
  bool fill() {
    if (!block_) block_ = std::make_unique<char[]>(block_size);
    at_ = end_ = 0;
    while (!ended_) {
      ssize_t n = ::read(fd_, block_.get(), block_size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      end_ = std::size_t(n);
      return true;
    }
    ended_ = true;  // not read again: a terminal would wait for a second end of input
    return false;
  }

  // Appends a line to `to`, unless it is longer than limit_: then it is read past, not kept
  // (an endless line must not exhaust memory), and `too_long` is set. The text keeps
  // json_padding bytes of spare capacity, so that the fast reader parses a line where it is.
  // False at the end of the input.
  bool line(std::string& to, bool& too_long) {
    too_long = false;
    if (at_ == end_ && !fill()) return false;
    const std::size_t start = to.size();
    for (;;) {
      const char* from = block_.get() + at_;
      const char* nl = static_cast<const char*>(std::memchr(from, '\n', end_ - at_));
      std::size_t n = nl ? std::size_t(nl - from) : end_ - at_;
      std::size_t keep = too_long ? 0 : std::min(n, limit_ - (to.size() - start));
      if (keep < n && !too_long) {
        too_long = true;
        to.resize(start);
        keep = 0;
      }
      if (std::size_t need = to.size() + keep + json_padding; to.capacity() < need)
        to.reserve(std::max(need, 2 * to.capacity()));  // doubling: a long line spans many blocks
      to.append(from, keep);
      read_ += n;
      at_ += n;
      if (nl) {
        ++at_;
        break;
      }
      if (!fill()) break;  // the last line, without a newline
    }
    ++read_;  // the newline (counted for a last line without one too, as before)
    return true;
  }

  std::string name_;
  int fd_;
  bool owned_;
  std::uint64_t total_, read_ = 0;
  std::size_t limit_;
  std::size_t number_ = 0;
  std::string line_;
  std::unique_ptr<char[]> block_;
  std::size_t at_ = 0, end_ = 0;  // the unread part of the block
  bool ended_ = false;
};

// A JSON file holding one document.
class WholeFile final : public InputSource {
 public:
  WholeFile(fs::path file, std::uint64_t size, const InputLimits& limits)
      : file_(std::move(file)), size_(size), limits_(limits) {}
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
  std::uint64_t bytes_read() const override { return done_ ? size_ : 0; }
  std::uint64_t bytes_total() const override { return size_; }

 private:
  fs::path file_;
  std::uint64_t size_;
  InputLimits limits_;
  bool done_ = false;
};

// CSV rows (csv.hpp's strict RFC 4180) whose columns a mapping file ties to document paths and
// types; a `[]` step (a sheet's row element) is element [0] here, as each row is one document.
class CsvRows final : public InputSource {
 public:
  CsvRows(std::string name, std::unique_ptr<std::istream> in, std::uint64_t total, const InputLimits& limits)
      : name_(std::move(name)), in_(std::move(in)), csv_(*in_, name_, limits.max_bytes), total_(total) {}

  /// Reads the header and checks it against the mapping: every column mapped or ignored, once.
  void open(const std::string& mapping_file, std::vector<Error>& errors) {
    std::size_t before = errors.size();
    detail::CsvMapping mapping = detail::read_mapping(mapping_file, errors);
    if (errors.size() != before) return;  // the header cannot be judged against a broken mapping
    detail::CsvReader::Row header;
    if (!csv_.next(header)) {
      errors.push_back(
          io_error(name_, "expected a header row naming the columns", "缺少标题行（第一行应列出各列名称）"));
      return;
    }
    if (header.error) {
      errors.push_back(std::move(*header.error));
      return;
    }
    std::set<std::string> seen;
    for (const auto& cell : header.cells) {
      std::string h = cell;
      h.erase(0, h.find_first_not_of(" \t"));
      h.erase(h.find_last_not_of(" \t") + 1);
      auto it = std::find_if(mapping.columns.begin(), mapping.columns.end(),
                             [&](const detail::MappedColumn& c) { return c.header == h; });
      if (it == mapping.columns.end()) {
        errors.push_back(io_error(name_,
                                  "column '" + excerpt(h) + "' is not in the mapping " + mapping_file +
                                      ": map it under columns: or list it under ignore:",
                                  "列「" + excerpt(h) + "」不在列映射中（请在 columns: 下映射，或列入 ignore:）",
                                  int(header.line)));
        continue;
      }
      if (!seen.insert(h).second) {
        errors.push_back(io_error(name_, "column '" + excerpt(h) + "' appears twice in the header",
                                  "标题行中列「" + excerpt(h) + "」出现了两次", int(header.line)));
        continue;
      }
      if (it->per_row()) it->path[it->each] = "[0]";
      columns_.push_back(*it);
    }
    for (const auto& c : mapping.columns)
      if (!seen.count(c.header))
        errors.push_back(io_error(mapping_file,
                                  "the mapping names column '" + c.header + "', which " + name_ + " lacks",
                                  "列映射中的列「" + c.header + "」在表格中不存在"));
  }

  bool next(BatchInput& input) override {
    detail::CsvReader::Row row;
    if (!csv_.next(row)) return false;
    input.source = name_;
    input.line = row.line;
    input.errors.clear();
    input.text.clear();
    if (row.error)
      input.errors.push_back(std::move(*row.error));
    else
      input.text = to_json(row, input.errors);
    return true;
  }
  std::uint64_t bytes_read() const override { return csv_.bytes_read(); }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  std::string to_json(const detail::CsvReader::Row& row, std::vector<Error>& errors) const {
    const auto& cells = row.cells;
    JsonTree root;
    for (std::size_t i = 0; i < cells.size() && i < columns_.size(); ++i) {  // as wide as the header (CsvReader)
      const detail::MappedColumn& col = columns_[i];
      if (col.ignored() || blank(cells[i])) continue;  // an empty cell is missing data, never false or 0
      std::string json, why, why_zh;
      if (!detail::text_cell_json(col.type, cells[i], json, why, &why_zh)) {
        errors.push_back(io_error(
            name_, csv_.column_name(i) + ": expected " + why + ", got '" + excerpt(cells[i]) + "'",
            csv_.column_name_zh(i) + "：应为" + why_zh + "，实际为“" + excerpt(cells[i]) + "”", int(row.line)));
        continue;
      }
      JsonTree* n = &root;
      for (const auto& step : col.path) {
        if (step[0] == '[') {
          n->is_list = true;
          std::size_t k = std::size_t(std::stoul(step.substr(1)));
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
  detail::CsvReader csv_;
  std::uint64_t total_;
  std::vector<detail::MappedColumn> columns_;
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
  // The part read ended: next() goes on to the next one.
  bool next_lines(LineBlock& block, std::size_t lines, std::size_t bytes) override {
    return at_ < parts_.size() && parts_[at_]->next_lines(block, lines, bytes);
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

// A file or a pipe that can be read; a device (/dev/zero, a terminal) never ends and is refused.
bool readable(const fs::path& p, std::uint64_t& size, std::vector<Error>& errors) {
  std::error_code ec;
  auto status = fs::status(p, ec);
  if (!ec && status.type() != fs::file_type::regular && status.type() != fs::file_type::fifo) {
    errors.push_back(io_error(p.string(), "is not a regular file or a pipe", "不是普通文件或管道"));
    return false;
  }
  if (ec || ::access(p.c_str(), R_OK) != 0) {
    errors.push_back(cannot_read(p.string(), ec ? ec.value() : errno));
    return false;
  }
  size = status.type() == fs::file_type::regular ? fs::file_size(p, ec) : 0;
  if (ec) size = 0;
  return true;
}

std::unique_ptr<std::istream> open_file(const fs::path& p, std::uint64_t& size, std::vector<Error>& errors) {
  if (!readable(p, size, errors)) return nullptr;
  errno = 0;
  auto in = std::make_unique<std::ifstream>(p, std::ios::binary);
  if (!*in) {
    errors.push_back(cannot_read(p.string(), errno ? errno : EIO));
    return nullptr;
  }
  return in;
}

// False for a closed standard input, or one the command line reopened write-only on /dev/null
// in its place: reading either would throw.
bool stdin_readable() {
  int flags = fcntl(STDIN_FILENO, F_GETFL);
  return flags != -1 && (flags & O_ACCMODE) != O_WRONLY;
}

// .json, .JSON, .Jsonl…: the names of JSON files, whatever their case.
bool json_name(std::string ext) {
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".json" || ext == ".jsonl" || ext == ".ndjson";
}

// A file named as input: *.json holds one document (pretty-printed or not); anything else is
// JSON Lines (*.jsonl, *.ndjson, a pipe).
void add_file(Sequence& all, const fs::path& p, const InputLimits& limits, std::vector<Error>& errors) {
  std::uint64_t size = 0;
  if (p.extension() == ".json") {  // refused here, before any record (and opened once: it may be a pipe)
    if (readable(p, size, errors)) all.add(std::make_unique<WholeFile>(p, size, limits));
  } else if (readable(p, size, errors)) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      errors.push_back(cannot_read(p.string(), errno));
    else
      all.add(std::make_unique<JsonLines>(p.string(), fd, true, size, limits));
  }
}

}  // namespace

void LineBlock::reset(std::string_view source_name, std::size_t first, std::size_t document_limit) {
  source.assign(source_name);
  limit = document_limit;
  lines = 0;
  text.clear();
  too_long.clear();
  at_ = long_at_ = 0;
  line_ = first - 1;
}

bool LineBlock::next(BatchInput& input) {
  while (at_ < text.size()) {
    std::size_t end = text.find('\n', at_);  // INVARIANT: every line is ended by one
    ++line_;
    Unread unread = long_at_ < too_long.size() && too_long[long_at_] == line_ ? Unread::too_long : Unread::no;
    long_at_ += unread == Unread::too_long;
    if (end + 1 == text.size()) {
      // The last line is moved, not copied: a long line closes its block, and is not held twice.
      // The block's text has json_padding spare bytes (JsonLines::line), so it is parsed in place.
      text.resize(end);
      text.erase(0, at_);
      input.text.swap(text);
      text.clear();
      at_ = 0;
    } else {
      try {
        input.text.reserve(end - at_ + json_padding);  // parsed where it is (FastReader::read)
        input.text.assign(text, at_, end - at_);
      } catch (const std::bad_alloc&) {  // this line's record says so; the others are read on
        unread = Unread::out_of_memory;
      }
      at_ = end + 1;
    }
    if (as_input(source, line_, unread, limit, input)) return true;
  }
  return false;
}

OpenedInput open_input(const std::vector<std::string>& paths, const std::string& csv_mapping,
                       const InputLimits& limits) {
  OpenedInput opened;
  auto all = std::make_unique<Sequence>();
  std::vector<std::string> list = paths.empty() ? std::vector<std::string>{"-"} : paths;
  for (const auto& p : list) {
    std::uint64_t size = 0;
    if (!csv_mapping.empty()) {
      std::unique_ptr<std::istream> in;
      if (p == "-" && !stdin_readable())
        opened.errors.push_back(
            io_error("-", "standard input is closed: there is no sheet to read", "标准输入已关闭，没有可读的表格"));
      else if (p == "-")
        in = std::make_unique<std::istream>(std::cin.rdbuf());
      else
        in = open_file(p, size, opened.errors);
      if (!in) continue;
      auto rows = std::make_unique<CsvRows>(p, std::move(in), size, limits);
      rows->open(csv_mapping, opened.errors);
      all->add(std::move(rows));
    } else if (p == "-") {
      if (stdin_readable())  // a closed stdin holds nothing
        all->add(std::make_unique<JsonLines>("-", STDIN_FILENO, false, 0, limits));
    } else if (std::error_code ec; fs::is_directory(p, ec)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(p, ec)) {
        std::error_code link;
        fs::file_type type = e.status(link).type();
        std::string ext = e.path().extension().string();
        Error skip{Error::Code::io, {}, {e.path().string(), 0, 0}, {}, {}};
        auto why = [&](std::string en, std::string zh) {
          opened.skipped.push_back(skip.say("skipped: " + en, "已跳过：" + zh));
        };
        if (type == fs::file_type::regular && (ext == ".json" || ext == ".jsonl" || ext == ".ndjson"))
          files.push_back(e.path());
        else if (type == fs::file_type::not_found)
          why("a link to nothing", "链接指向的文件不存在");
        else if (type == fs::file_type::directory)
          why("a folder (folders inside are not read)", "这是文件夹（不读取文件夹中的文件夹）");
        else if (type == fs::file_type::fifo)
          why("a pipe (FIFO): only files are read from a folder", "这是管道（FIFO）：文件夹中只读取文件");
        else if (type != fs::file_type::regular)
          why("not a regular file", "不是普通文件");
        else if (json_name(ext))
          why("its extension is not lower case (.json, .jsonl, .ndjson)",
              "扩展名不是小写（应为 .json、.jsonl 或 .ndjson）");
        else
          why("not .json (one document), .jsonl or .ndjson (JSON Lines)",
              "不是 .json（一份材料）、.jsonl 或 .ndjson（每行一份材料）文件");
      }
      if (ec) opened.errors.push_back(io_error(p, "cannot list the folder: " + ec.message(), "无法列出该文件夹的内容"));
      std::sort(files.begin(), files.end());
      std::sort(opened.skipped.begin(), opened.skipped.end(),
                [](const Error& x, const Error& y) { return x.loc.file < y.loc.file; });
      for (const auto& f : files) add_file(*all, f, limits, opened.errors);
    } else {
      add_file(*all, p, limits, opened.errors);
    }
  }
  if (opened.errors.empty()) opened.source = std::move(all);
  return opened;
}

}  // namespace rulebook
