#include "serve/desk.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sheet/sheet.hpp"

namespace rulebook::serve {

const DeskAsset* find_desk_asset(std::string_view name) {
  for (const DeskAsset* a = desk_assets; !a->name.empty(); ++a)
    if (a->name == name) return a;
  return nullptr;
}

std::string desk_content_type(std::string_view name) {
  auto ends = [&](std::string_view ext) { return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext; };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".json")) return "application/json";
  return "application/octet-stream";
}

namespace {

// A folder of our own under the system's temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rulebook-sheet-XXXXXX").string();
    if (char* made = ::mkdtemp(pattern.data())) path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

bool write_file(const std::filesystem::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary);
  out.write(content.data(), std::streamsize(content.size()));
  return bool(out.flush());
}

Error io_error(std::string message, std::string message_zh) {
  Error e;
  e.code = Error::Code::io;
  e.say(std::move(message), std::move(message_zh));
  return e;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Whether `cell`, as BatchInput::cells names a cell ("Sheet1!C5 单位名称": its reference, a space,
// its column's header), is in the column headed `header`.
bool in_column(std::string_view cell, std::string_view header) {
  if (cell.size() < header.size() + 3 || cell.substr(cell.size() - header.size()) != header ||
      cell[cell.size() - header.size() - 1] != ' ')
    return false;
  std::string_view ref = cell.substr(0, cell.size() - header.size() - 1);
  if (auto bang = ref.rfind('!'); bang != std::string_view::npos) ref.remove_prefix(bang + 1);
  std::size_t letters = 0, digits = 0;
  while (letters < ref.size() && std::isupper(static_cast<unsigned char>(ref[letters]))) ++letters;
  while (letters + digits < ref.size() && std::isdigit(static_cast<unsigned char>(ref[letters + digits]))) ++digits;
  return letters && digits && letters + digits == ref.size();
}

// Who an application the sheet kept from becoming a document is about: its application cells
// (`columns`, OpenedInput::columns, beside their values in `in.shown`; their paths in `in.cells`,
// an ignored column having none) as a document of texts, read where the subject schema says.
Applicant applicant_of_cells(const BatchInput& in, const std::vector<std::string>& columns, const CompiledPack& pack) {
  nlohmann::json doc = nlohmann::json::object();
  for (std::size_t i = 0, k = 0; i < columns.size() && i < in.shown.size() && k < in.cells.size(); ++i) {
    if (!in_column(in.cells[k].second, columns[i])) continue;
    const std::string& path = in.cells[k++].first;
    std::string_view value = trimmed(in.shown[i]);
    if (value.empty() || path.rfind("$.", 0) != 0 || path.find('[') != std::string::npos) continue;
    nlohmann::json* at = &doc;
    for (std::size_t from = 2; at;) {
      std::size_t dot = std::min(path.find('.', from), path.size());
      if (at->is_null()) *at = nlohmann::json::object();
      at = at->is_object() ? &(*at)[path.substr(from, dot - from)] : nullptr;
      if (dot == path.size()) break;
      from = dot + 1;
    }
    if (at && at->is_null()) *at = std::string(value);
  }
  DocumentResult read = Document::parse(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return read.document ? applicant_of(*read.document, &pack) : Applicant{};
}

}  // namespace

SheetUpload read_uploaded_sheet(const std::string& content, bool xlsx, const std::optional<std::string>& mapping,
                                const std::string& file_name, const CompiledPack& pack) {
  SheetUpload out;
  TempDir dir;
  if (dir.path().empty()) {
    out.errors.push_back(io_error("cannot create a temporary folder for the sheet", "无法为该表格创建临时文件夹"));
    return out;
  }
  // The upload's own name is not trusted as a path: only its extension is kept.
  auto sheet = dir.path() / (xlsx ? "upload.xlsx" : "upload.csv");
  auto map = dir.path() / "mapping.yaml";
  if (!write_file(sheet, content) || (mapping && !write_file(map, *mapping))) {
    out.errors.push_back(io_error("cannot write the sheet to a temporary file", "无法将该表格写入临时文件"));
    return out;
  }
  SheetOptions options;
  options.xlsx = xlsx;
  if (mapping) options.mapping = map.string();
  OpenedInput opened = mapping ? open_sheet(sheet.string(), options) : open_template_sheet(sheet.string(), pack, options, file_name);
  // Messages name the file as the reviewer knows it, not the temporary copy.
  auto as_uploaded = [&](std::vector<Error>& errors) {
    for (auto& e : errors) {
      if (e.loc.file == sheet.string()) e.loc.file = file_name;
      else if (e.loc.file == map.string()) e.loc.file = "mapping.yaml";
      for (std::string* words : {&e.message, &e.message_zh})
        for (const std::string& from : {sheet.string(), map.string()})
          for (std::size_t at; (at = words->find(from)) != std::string::npos;)
            words->replace(at, from.size(), from == sheet.string() ? file_name : "mapping.yaml");
    }
  };
  out.errors = std::move(opened.errors);
  as_uploaded(out.errors);
  if (!opened.source) return out;
  BatchInput in;
  while (opened.source->next(in)) {
    SheetDocument d;
    d.id = in.id;
    d.row = in.line;
    d.errors = in.errors;
    as_uploaded(d.errors);
    if (d.errors.empty()) {
      DocumentResult read = Document::parse(in.text, file_name);
      if (read.document) d.applicant = applicant_of(*read.document, &pack);
      d.text = in.text;
    } else {
      d.applicant = applicant_of_cells(in, opened.columns, pack);
    }
    out.documents.push_back(std::move(d));
  }
  return out;
}

bool record_matches(const ledger::Record& r, std::string_view query) {
  if (query.empty()) return true;
  std::string q = lower_ascii(query);
  for (const auto* field : {&r.applicant_name, &r.credit_code, &r.application_id})
    if (*field && lower_ascii(**field).find(q) != std::string::npos) return true;
  return false;
}

}  // namespace rulebook::serve
