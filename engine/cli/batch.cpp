// rulebook batch: many documents against one pack, in input order, on several threads;
// and --merge, which adds up summaries written by runs over parts of a corpus.

#include "rulebook/batch.hpp"

#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "ledger/pack_hash.hpp"
#include "rulebook/report.hpp"
#include "sheet/sheet.hpp"

namespace rulebook::cli {
namespace {

struct BatchCommand {
  std::string pack, as_of, format, lang = "zh", csv_mapping, reader = "fast", progress = "auto";
  std::string sheet, sheet_name, output;
  bool summary = false, trace = false, exit_zero = false, profile = false;
  std::vector<std::string> merge;
  std::vector<std::string> inputs;
  unsigned jobs = 0;
  LoadOptions load;
  InputLimits input;
  EvalOptions eval{.as_of = {}, .trace = false};
};

// The inputs of a run that found no document in them, named as given (a folder said to be one,
// standard input by that name), so that a reviewer sees which folder was empty: {English, Chinese}.
std::pair<std::string, std::string> no_document_in(const BatchCommand& o) {
  std::vector<std::string> paths = o.inputs;
  if (!o.sheet.empty()) paths.push_back(o.sheet);
  if (paths.empty()) paths.emplace_back("-");
  if (paths.size() == 1 && paths[0] == "-") return {"standard input held no document", "标准输入中没有材料"};
  std::string en, zh;
  for (const auto& p : paths) {
    std::error_code ec;
    const bool folder = p != "-" && std::filesystem::is_directory(p, ec);
    en += (en.empty() ? "" : ", ") + (p == "-" ? "standard input" : folder ? "the folder " + p : p);
    zh += (zh.empty() ? "" : "、") + (p == "-" ? "标准输入" : folder ? "文件夹 " + p : p);
  }
  if (paths.size() == 1) return {en + " holds no document", zh + " 中没有材料"};
  return {"the inputs (" + en + ") hold no document", "输入（" + zh + "）中没有材料"};
}

// What batch itself has to say on stderr, through the one rendering of errors (to_text): in the
// reviewer's language, --lang en for scripts. `where` is the file it is about, else the command.
void tell(std::string_view lang, std::string where, std::string en, std::string zh,
          Severity severity = Severity::error) {
  Error e{Error::Code::input, {}, {std::move(where), 0, 0}, {}, {}};
  ReportOptions report;
  report.lang = lang;
  std::cerr << to_text(e.say(std::move(en), std::move(zh)), report, severity);
}

// --profile: what each phase cost per record, CPU time summed over threads.
void print_profile(const PhaseCost& p) {
  const std::pair<const char*, std::uint64_t> phases[] = {
      {"input", p.input}, {"read", p.read}, {"validate", p.validate}, {"evaluate", p.evaluate}, {"write", p.write}};
  std::uint64_t total = p.input + p.read + p.validate + p.evaluate + p.write;
  std::fprintf(stderr, "rulebook batch: cost per record by phase, summed over threads (%llu records):\n",
               static_cast<unsigned long long>(p.records));
  for (const auto& [name, ns] : phases)
    std::fprintf(stderr, "  %-9s %8.3f µs %5.1f%%\n", name, p.records ? double(ns) / double(p.records) / 1000 : 0.0,
                 total ? 100.0 * double(ns) / double(total) : 0.0);
  std::fprintf(stderr, "  %-9s %8.3f µs\n", "total", p.records ? double(total) / double(p.records) / 1000 : 0.0);
}

// "  12,345 records  48,120/s  ETA 0:04  [#######.............]  35%" on one line, redrawn.
class ProgressBar {
 public:
  explicit ProgressBar(const InputSource& in) : in_(in), start_(std::chrono::steady_clock::now()) {}
  void operator()(std::uint64_t records) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double seconds = std::chrono::duration<double>(now - start_).count();
    double rate = seconds > 0 ? double(records) / seconds : 0;
    char line[160];
    int n =
        std::snprintf(line, sizeof line, "\r  %llu records  %.0f/s", static_cast<unsigned long long>(records), rate);
    std::string out(line, std::size_t(std::max(n, 0)));
    if (std::uint64_t total = in_.bytes_total(); total && in_.bytes_read()) {
      double done = std::min(1.0, double(in_.bytes_read()) / double(total));
      double left = done > 0 ? seconds * (1 - done) / done : 0;
      int filled = int(done * 20);
      std::snprintf(line, sizeof line, "  ETA %d:%02d  [%s%s] %3.0f%%", int(left) / 60, int(left) % 60,
                    std::string(std::size_t(filled), '#').c_str(), std::string(std::size_t(20 - filled), '.').c_str(),
                    done * 100);
      out += line;
    }
    std::cerr << out << "\x1b[K" << std::flush;
    drawn_ = true;
  }
  ~ProgressBar() {
    if (drawn_) std::cerr << "\r\x1b[K" << std::flush;
  }

 private:
  const InputSource& in_;
  std::chrono::steady_clock::time_point start_, last_{};
  bool drawn_ = false;
};

void tell_overflow(std::string_view lang, const std::string& which) {
  tell(lang, "rulebook batch", "the total of " + which + " passes what a decimal holds (36 digits)",
       which + " 的合计超出了十进制数能容纳的 36 位");
}

ExitCode run_merge(const BatchCommand& o) {
  ReportOptions report;  // summaries have no pack: their fields are named by JSON path
  report.lang = o.lang;
  std::optional<Summary> total;
  for (const auto& file : o.merge) {
    InputText in = read_input(file, o.input);  // a folder, a device or a missing file is said so
    if (in.error) {
      std::cerr << to_text(*in.error, report);
      return ExitCode::bad_input;
    }
    std::vector<Error> errors;
    auto part = Summary::from_json(in.text, file, errors);
    for (const auto& e : errors) std::cerr << to_text(e, report);
    if (!part) return ExitCode::bad_input;
    Error why;
    if (!total)
      total = std::move(part);
    else if (!total->merge(*part, why)) {
      tell(o.lang, file, "cannot merge: " + why.message, "无法合并：" + why.message_zh);
      return ExitCode::bad_input;
    }
  }
  if (auto which = total->overflowed(); !which.empty()) {
    tell_overflow(o.lang, which);
    return ExitCode::bad_input;
  }
  std::cout << (o.format == "json" ? total->to_json() : total->to_text(o.lang));
  return ExitCode::ok;
}

ExitCode run_batch_command(const BatchCommand& o) {
  std::string format = o.format.empty() ? (o.summary || !o.merge.empty() ? "text" : "jsonl") : o.format;
  bool summary_format = format == "text" || format == "json";
  if ((o.summary || !o.merge.empty()) != summary_format) {
    if (summary_format)
      tell(o.lang, "rulebook batch",
           "--format " + format + " is for --summary or --merge; decisions are written as jsonl, csv or xlsx",
           "--format " + format + " 用于 --summary 或 --merge；逐份的判定结果写成 jsonl、csv 或 xlsx");
    else
      tell(o.lang, "rulebook batch",
           "--format " + format + " is for decisions; --summary and --merge write text or json",
           "--format " + format + " 用于逐份的判定结果；--summary 与 --merge 写成 text 或 json");
    return ExitCode::bad_input;
  }
  BatchCommand with_format = o;
  with_format.format = format;
  if (!o.merge.empty()) {
    if (!o.pack.empty() || !o.inputs.empty()) {
      tell(o.lang, "rulebook batch", "--merge takes summary files only, no --pack and no inputs",
           "--merge 只接受汇总文件，不接受 --pack 和输入材料");
      return ExitCode::bad_input;
    }
    return run_merge(with_format);
  }
  if (o.pack.empty()) {
    tell(o.lang, "rulebook batch", "--pack is required", "须用 --pack 指定规则包的文件夹");
    return ExitCode::bad_input;
  }
  bool xlsx_out = format == "xlsx";
  if (xlsx_out && o.output.empty()) {
    tell(o.lang, "rulebook batch", "--format xlsx writes a workbook: name it with -o FILE.xlsx",
         "--format xlsx 写出一个工作簿：请用 -o 文件名.xlsx 指定它");
    return ExitCode::bad_input;
  }
  auto session = open_session("batch", o.pack, o.as_of, o.load);
  if (!session) return ExitCode::bad_input;
  // What is wrong with the reviewer's sheets and documents, in their language, fields by label.
  ReportOptions report;
  report.lang = o.lang;
  report.pack = &session->pack;
  OpenedInput in = open_records("batch", o.inputs, {.mapping = o.csv_mapping, .sheet = o.sheet_name, .xlsx = false},
                                o.sheet, o.input, session->pack, o.lang);
  if (!in.source) return ExitCode::bad_input;
  std::ofstream file_out;
  std::optional<ResultSheet> workbook;
  if (!o.output.empty()) {
    file_out.open(o.output, std::ios::binary);  // for a workbook too: say it cannot be written before evaluating
    if (!file_out) {
      tell(o.lang, o.output, "cannot write the file", "无法写入该文件");
      return ExitCode::bad_input;
    }
    if (xlsx_out) {
      file_out.close();
      workbook.emplace(o.output, session->pack, in.columns, o.lang);
      if (std::vector<Error> errors; !workbook->ready(errors)) {
        for (const auto& e : errors) std::cerr << to_text(e, report);
        return ExitCode::bad_input;
      }
    }
  }

  BatchOptions options;
  options.eval = o.eval;
  options.eval.as_of = session->as_of;
  options.eval.trace = o.trace;
  options.limits = o.input;
  options.jobs = o.jobs;
  options.fast_reader = o.reader == "fast";
  options.profile = o.profile;
  options.format = o.summary || xlsx_out ? BatchFormat::none : format == "csv" ? BatchFormat::csv : BatchFormat::jsonl;
  if (workbook) options.on_record = [&workbook](const BatchRecord& r) { workbook->add(r); };
  std::optional<ProgressBar> bar;
  if (o.progress == "always" || (o.progress == "auto" && isatty(STDERR_FILENO))) {
    bar.emplace(*in.source);
    options.progress = [&bar](std::uint64_t n) { (*bar)(n); };
  }
  std::ios::sync_with_stdio(false);
  std::ostream* out = o.summary || xlsx_out ? nullptr : file_out.is_open() ? &file_out : &std::cout;
  BatchResult result = run_batch(session->pack, *in.source, options, out);
  bar.reset();
  if (o.profile) print_profile(result.phases);
  if (workbook) {
    std::vector<Error> errors;
    if (!workbook->close(errors)) {
      for (const auto& e : errors) std::cerr << to_text(e, report);
      return ExitCode::bad_input;
    }
  }
  if (file_out.is_open() && !file_out.flush()) {
    tell(o.lang, o.output, "cannot write the file", "无法写入该文件");
    return ExitCode::bad_input;
  }
  if (auto which = result.summary.overflowed(); o.summary && !which.empty()) {
    tell_overflow(o.lang, which);
    return ExitCode::bad_input;
  }
  if (o.summary && format == "json") {
    try {  // --merge then refuses a part summarised under other rules of the same version
      result.summary.set_pack_hash(ledger::pack_hash(o.pack));
    } catch (const std::exception& e) {
      std::cerr << "rulebook batch: " << e.what() << "\n";
      return ExitCode::bad_input;
    }
  }
  if (o.summary) std::cout << (format == "json" ? result.summary.to_json() : result.summary.to_text(o.lang));
  std::cout.flush();
  if (result.summary.records() == 0) {  // an empty or closed stdin, an empty file or folder
    auto [en, zh] = no_document_in(o);
    tell(o.lang, "rulebook batch", "nothing to do: " + en + (o.exit_zero ? "" : " (--exit-zero makes this exit 0)"),
         "没有可判定的材料：" + zh + (o.exit_zero ? "" : "（加 --exit-zero 则以 0 退出）"),
         o.exit_zero ? Severity::warning : Severity::error);
    return o.exit_zero ? ExitCode::ok : ExitCode::bad_input;
  }
  if (result.any_invalid && o.lang == "en")
    std::cerr << "rulebook batch: " << result.summary.invalid() << " of " << result.summary.records()
              << " inputs could not be evaluated (see their \"invalid\" records)\n";
  else if (result.any_invalid)
    std::cerr << "rulebook batch：" << result.summary.records() << " 份输入中有 " << result.summary.invalid()
              << " 份无法评估（原因见其 \"invalid\" 记录）\n";
  if (o.exit_zero) return ExitCode::ok;  // the answers are in the records
  return result.any_invalid ? ExitCode::bad_input : exit_code_for(result.worst);
}

}  // namespace

void report_opened(const OpenedInput& in, const ReportOptions& report) {
  for (const auto& e : in.errors) std::cerr << to_text(e, report);
  for (const auto& s : in.skipped) std::cerr << to_text(s, report, Severity::warning);
}

// Sheets (xlsx, or CSV whose rows are grouped into applications) are read whole by open_sheet;
// plain CSV and JSON stream through open_input. One sheet without a mapping is read as the
// pack's sheet template (x-sheet), as the review desk reads it.
OpenedInput open_records(const char* command, std::vector<std::string> inputs, SheetOptions sheet_options,
                         const std::string& xlsx, const InputLimits& limits, const CompiledPack& pack,
                         std::string_view lang) {
  const std::string& mapping = sheet_options.mapping;
  if (!xlsx.empty()) inputs.push_back(xlsx);
  sheet_options.xlsx = !xlsx.empty();
  sheet_options.pack = &pack;  // an application's cells shown beside its results by their labels
  sheet_options.lang = std::string(lang);
  bool template_sheet =
      mapping.empty() && inputs.size() == 1 && (!xlsx.empty() || is_xlsx(inputs[0]) || is_csv(inputs[0]));
  bool sheet = !xlsx.empty() || std::any_of(inputs.begin(), inputs.end(), [](auto& p) { return is_xlsx(p); }) ||
               (!mapping.empty() && mapping_groups_rows(mapping));
  OpenedInput in;
  if (sheet && !template_sheet && (mapping.empty() || inputs.size() != 1 || inputs[0] == "-")) {
    tell(lang, std::string("rulebook ") + command,
         "a sheet is read with --csv-mapping MAP.yaml (its columns' document paths), or laid out as the pack's "
         "sheet template without one; one sheet file at a time",
         "表格须用 --csv-mapping 映射.yaml（写明各列对应的文档路径）读取，或按规则包的表格模板排列而不用映射；"
         "每次只读一个表格文件");
    return in;
  }
  in = template_sheet ? open_template_sheet(inputs[0], pack, sheet_options)
       : sheet        ? open_sheet(inputs[0], sheet_options)
                      : open_input(inputs, mapping, limits);
  ReportOptions report;
  report.lang = lang;
  report.pack = &pack;
  report_opened(in, report);
  return in;
}

void add_batch(CLI::App& app, std::function<ExitCode()>& run) {
  auto o = std::make_shared<BatchCommand>();
  CLI::App* cmd = app.add_subcommand(
      "batch",
      "Check many documents against a pack: JSON Lines (one document a line; - or nothing for stdin),\n"
      "folders of .json files, or CSV and xlsx sheets with --csv-mapping (rows grouped into applications\n"
      "when the mapping has group_by); one sheet laid out as the pack's template (the review desk's, from\n"
      "x-sheet) needs no mapping. One decision per input, in input order.");
  cmd->add_option("--pack", o->pack, "the rule pack's folder");
  cmd->add_option("--as-of", o->as_of, "the date of the decisions, YYYY-MM-DD (default: today)")->check(date_text());
  cmd->add_option("--jobs,-j", o->jobs, "threads evaluating (default: one per core)")->check(CLI::Range(1u, 256u));
  cmd->add_option("--format", o->format,
                  "decisions: jsonl (default), csv, or xlsx (a workbook, with -o); with --summary or --merge: text\n"
                  "(default) or json")
      ->check(CLI::IsMember({"jsonl", "csv", "xlsx", "text", "json"}));
  cmd->add_option("-o,--output", o->output, "write the decisions to this file (required by --format xlsx)");
  cmd->add_option("--sheet", o->sheet, "an xlsx workbook to read (as an input ending in .xlsx is), with --csv-mapping or as the pack's template");
  cmd->add_option("--sheet-name", o->sheet_name,
                  "the worksheet to read (default: the mapping's sheet:, else the workbook's first)");
  cmd->add_flag("--summary", o->summary,
                "instead of one line per input, print per rule the count of each outcome and the sums of outputs");
  cmd->add_option("--merge", o->merge, "add up summaries written with --summary --format json")->expected(1, -1);
  cmd->add_option("--csv-mapping", o->csv_mapping,
                  "read the inputs as CSV or xlsx sheets; this YAML file maps each column to a document path\n"
                  "and type; group_by: COLUMN makes one application of the rows sharing that column");
  cmd->add_option("--lang", o->lang,
                  "language of the text summary, the xlsx results and what batch says on stderr (what is wrong\n"
                  "with the inputs, entries skipped, a --merge refused; the records keep their English message):\n"
                  "zh or en")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->add_flag("--exit-zero", o->exit_zero,
                "exit 0 once every input is answered, even when rules fail or inputs are invalid (for Spark and\n"
                "Hadoop, which take a non-zero exit for a failed task); bad rules or usage still exit 2");
  cmd->add_flag("--trace", o->trace, "include each rule's trace in the decisions (slower)");
  cmd->add_option("--reader", o->reader,
                  "fast (simdjson, reads only what the pack uses) or dom (Document::parse); decisions are identical")
      ->check(CLI::IsMember({"fast", "dom"}));
  cmd->add_option("--progress", o->progress, "progress bar on stderr: auto (when it is a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--profile", o->profile, "print on stderr what reading, validating, evaluating and writing cost per record");
  cmd->add_option("inputs", o->inputs, "JSON Lines files, folders, CSV files; - for standard input");
  add_limit_options(*cmd, o->load, o->input, o->eval);
  cmd->footer(
      "Exit status: 0 every rule passes or does not apply in every document; 1 a rule fails or needs\n"
      "information; 2 some input could not be evaluated (its record says why), bad rules or bad usage.\n"
      "Spark: rdd.pipe(\"rulebook batch --pack P --as-of D\"); Hadoop Streaming: -mapper the same. See README.");
  cmd->callback([o, &run] { run = [o] { return run_batch_command(*o); }; });
}

}  // namespace rulebook::cli
