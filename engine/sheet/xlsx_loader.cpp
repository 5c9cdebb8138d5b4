// Workbooks through the xlsx module (xlsx.hpp), loaded once, when the first is read or written.

#include "modules/loader.hpp"
#include "sheet/xlsx.hpp"

namespace rulebook {
namespace {

constexpr const char* module_file = "librulebook_xlsx.so";

struct Loaded {
  const detail::XlsxModule* module = nullptr;
  std::string why;  ///< when module is null
};

const Loaded& xlsx() {
  static const Loaded loaded = [] {
    const auto& entry = modules::load_once(module_file, "rulebook_xlsx_version", "rulebook_xlsx_module");
    using Entry = const detail::XlsxModule* (*)();
    return Loaded{entry.address ? reinterpret_cast<Entry>(entry.address)() : nullptr, entry.why};
  }();
  return loaded;
}

Error not_loaded(const std::string& file, Error::Code code, const std::string& what, const std::string& what_zh) {
  const std::string& why = xlsx().why;
  return {code, modules::module_error(what, module_file, why), {file, 0, 0}, {}, {}, {},
          what_zh + "：xlsx 模块 " + module_file + "（随 rulebook 安装在程序的 lib/rulebook 文件夹中）无法加载（" + why + "）"};
}

}  // namespace

std::optional<Sheet> read_xlsx(const std::string& file, const std::string& name, std::vector<Error>& errors,
                               const SheetLimits& limits) {
  if (const auto* m = xlsx().module) return m->read(file, name, errors, limits);
  errors.push_back(not_loaded(file, Error::Code::input, "cannot read an xlsx workbook", "无法读取 xlsx 工作簿"));
  return std::nullopt;
}

ResultSheet::ResultSheet(const std::string& file, const CompiledPack& pack, std::vector<std::string> columns,
                         std::string lang)
    : file_(file) {
  if (const auto* m = xlsx().module) s_ = m->open_results(file, pack, std::move(columns), std::move(lang));
}

ResultSheet::~ResultSheet() {
  if (s_) xlsx().module->free_results(s_);
}

bool ResultSheet::ready(std::vector<Error>& errors) const {
  if (s_) return true;
  errors.push_back(not_loaded(file_, Error::Code::io, "cannot write the workbook", "无法写出工作簿"));
  return false;
}

void ResultSheet::add(const BatchRecord& record) {
  if (s_) xlsx().module->add_result(*s_, record);
}

bool ResultSheet::close(std::vector<Error>& errors) {
  return ready(errors) && xlsx().module->close_results(*s_, errors);
}

}  // namespace rulebook
