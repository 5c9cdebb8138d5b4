// rulebook batch as a library call. Inputs are read into chunks and evaluated by `jobs` worker
// threads, each with its own reader, taking turns at the input; the calling thread writes
// finished chunks in input order. At most a few chunks are in flight, so memory does not grow
// with the input.

#include "rulebook/batch.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "batch/fast_reader.hpp"
#include "compile/pack_access.hpp"
#include "eval/evaluator.hpp"
#include "eval/typing.hpp"
#include "report/json_lines.hpp"

namespace rulebook {
namespace {

// A chunk closes at 256 documents or 1 MiB of text, and the reader waits while 2·jobs+2 chunks
// or 64 MiB of text are in flight: memory is bounded in bytes, for large records as for small.
constexpr std::size_t chunk_size = 256;
constexpr std::size_t chunk_bytes = 1u << 20;
constexpr std::size_t max_bytes_in_flight = 64u << 20;

int severity_rank(Outcome o) {
  switch (o) {
    case Outcome::error: return 4;
    case Outcome::fail: return 3;
    case Outcome::needs_info: return 2;
    case Outcome::pass: return 1;
    default: return 0;
  }
}

std::string csv_cell(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A spreadsheet runs a cell that starts with = + - @ (or a tab or a return before one) as a
// formula: text from the data never does, it is kept as text behind an apostrophe. Numbers
// are written as numbers (-5 stays a number).
std::string csv_text(std::string_view s) {
  if (!s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos)
    return csv_cell("'" + std::string(s));
  return csv_cell(s);
}

std::string csv_value(const Value& v) {
  switch (v.kind()) {
    case Kind::unknown:
    case Kind::null: return "";
    case Kind::string: return csv_text(v.as_string());
    default: return csv_cell(v.to_display());
  }
}

// With BatchOptions::profile, charges the time since the previous lap to a phase; otherwise
// reads no clock.
class Laps {
 public:
  explicit Laps(bool on) : on_(on), last_(on ? now() : 0) {}
  void to(std::uint64_t& phase) {
    if (!on_) return;
    std::uint64_t t = now();
    phase += t - last_;
    last_ = t;
  }

 private:
  static std::uint64_t now() {
    return std::uint64_t(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
  }
  bool on_;
  std::uint64_t last_;
};

// What on_record is given, kept until the chunk is written in order.
struct Record {
  BatchInput input;
  std::string id;
  std::optional<Decision> decision;
  std::vector<Error> errors;
};

// Each input as new, but for its text's memory, which the next line is read into.
BatchInput& fresh(BatchInput& input) {
  std::string text = std::move(input.text);
  input = BatchInput{};
  input.text = std::move(text);
  input.text.clear();
  return input;
}

// Chunks are reused once written: their inputs' texts keep their memory for the next lines.
struct Chunk {
  std::vector<BatchInput> inputs;
  LineBlock lines;  ///< read as one text, when `split` says so: split into `inputs` by the worker
  bool split = false;
  std::size_t bytes = 0;  ///< of the inputs' text as read (with `split`, the block's, newlines included)
  std::vector<Record> records;
  std::string out;
  Summary summary;
  bool any_invalid = false;
  Outcome worst = Outcome::not_applicable;
  PhaseCost phases;

  // Ready to be filled again: everything but the inputs' text buffers and the output's is let go.
  void recycle() {
    bytes = 0;
    records.clear();
    // The memory of unusually long lines, or of their output, is not kept for the next chunk.
    if (out.capacity() > (8u << 20)) out = {};
    out.clear();
    if (lines.text.capacity() > (8u << 20)) lines.text = {};
    for (auto& in : inputs)
      if (in.text.capacity() > (8u << 20)) in.text = {};
    any_invalid = false;
    worst = Outcome::not_applicable;
    phases = {};
  }
};

// Evaluates chunks; one per thread, as it owns a reader.
class Worker {
 public:
  Worker(const CompiledPack& pack, const BatchOptions& o)
      : pack_(pack), o_(o), evaluator_(detail::program(pack), options_for(o)),
        rule_count_(pack.info().rule_ids.size()) {
    if (o.fast_reader) fast_.emplace(detail::program(pack), o.limits);
    for (const auto& outs : pack.info().rule_outputs) output_count_ += outs.size();  // for invalid rows
  }

  void run(Chunk& c) {
    if (c.split) {
      Laps laps(o_.profile);
      c.inputs.resize(c.lines.lines);  // an input a line at most
      std::size_t n = 0;
      while (n < c.inputs.size() && c.lines.next(fresh(c.inputs[n]))) ++n;
      c.inputs.resize(n);
      laps.to(c.phases.input);
    }
    for (auto& in : c.inputs) {
      try {
        one(in, c);
      } catch (const std::exception& e) {  // out of memory, say: this input's record says so, the run goes on
        invalid(in, c, in.id, {{Error::Code::limit, std::string("could not be evaluated: ") + e.what(), {}, {}, {}}});
      }
    }
  }

 private:
  // The cell a sheet's input took the value at an error's JSON path from ("申请!I4 合同技术交易额"),
  // named as the xlsx results name it; null for other inputs.
  static const std::string* cell_of(const BatchInput& in, const Error& e) {
    if (e.json_path.empty()) return nullptr;
    for (const auto& [path, where] : in.cells)
      if (path == e.json_path) return &where;
    return nullptr;
  }

  void invalid(BatchInput& in, Chunk& c, const std::string& id, std::vector<Error> errors) {
    c.any_invalid = true;
    c.summary.add_invalid();
    if (o_.format == BatchFormat::jsonl) {
      std::vector<Error> named;  // a schema violation names its cell, not only its path
      if (!in.cells.empty()) {
        named = errors;
        for (auto& e : named)
          if (const std::string* cell = cell_of(in, e)) e.message = *cell + ": " + e.message;
      }
      c.out += to_json_line(in.cells.empty() ? errors : named, in.source, in.line, id);
    }
    if (o_.format == BatchFormat::csv) {
      std::string all;
      for (const auto& e : errors) {
        const std::string* cell = cell_of(in, e);
        all += (all.empty() ? "" : "; ") +
               (cell                  ? *cell + ": "
                : e.json_path.empty() ? ""
                                      : e.json_path + ": ") +
               e.message;
      }
      c.out += std::to_string(in.line) + "," + csv_text(id) + ",invalid," + csv_text(all);
      c.out.append(rule_count_ + output_count_, ',');
      c.out += "\n";
    }
    if (o_.on_record) keep(in, c, id, std::nullopt, std::move(errors));
  }

  void one(BatchInput& in, Chunk& c) {
    Laps laps(o_.profile);
    ++c.phases.records;
    std::optional<Document> doc;
    std::vector<Error> errors = std::move(in.errors);
    if (errors.empty() && fast_) doc = fast_->read(in.text, in.source);
    bool validated = doc && fast_->validates();  // in the same walk as it was read
    if (errors.empty() && !doc) {  // the reference reader, also for the wording of every error
      DocumentResult r = Document::parse(in.text, in.source, o_.limits);
      for (auto& e : r.errors) {  // from the line's own position to the file's
        if (in.line && e.loc.known()) e.loc.line += int(in.line) - 1;
        // A whole .json file with a second document after the first: JSON Lines misnamed.
        if (!in.line && e.loc.line > 1 && e.message.ends_with("expected end of input")) {
          e.message += " (a .json file holds one document; name a file of JSON Lines .jsonl or .ndjson)";
          e.message_zh += "（.json 文件只含一份材料；每行一份材料的 JSON Lines 文件请以 .jsonl 或 .ndjson 命名）";
        }
      }
      errors = std::move(r.errors);
      if (r.document) doc = detail::typed(std::move(*r.document), detail::program(pack_).reads);
    }
    laps.to(c.phases.read);
    if (errors.empty() && !validated) errors = pack_.validate(*doc);
    laps.to(c.phases.validate);
    std::string id;
    if (doc)
      if (const Value* v = doc->root().as_object().find("id"))
        id = v->kind() == Kind::string ? v->as_string() : v->kind() == Kind::number ? v->to_display() : "";
    if (id.empty()) id = in.id;  // a sheet's row that never became a document still names its application
    if (!errors.empty()) {
      invalid(in, c, id, std::move(errors));
      give_back(doc);
      return laps.to(c.phases.write);
    }
    Decision& d = decision_;
    evaluator_.run(*doc, d);
    laps.to(c.phases.evaluate);
    if (severity_rank(d.outcome) > severity_rank(c.worst)) c.worst = d.outcome;
    c.summary.add(d);
    if (o_.format == BatchFormat::jsonl) detail::append_json_line(c.out, d, in.line, id, {}, memo_);
    if (o_.format == BatchFormat::csv) {
      c.out += std::to_string(in.line) + "," + csv_text(id) + "," + std::string(to_string(d.outcome)) + ",";
      for (const auto& r : d.rules) c.out += "," + std::string(to_string(r.outcome));
      // Each rule's outputs in its own columns; a rule that stopped with an error has none (empty cells).
      const auto& columns = pack_.info().rule_outputs;
      for (std::size_t i = 0; i < d.rules.size() && i < columns.size(); ++i) {
        const auto& outputs = d.rules[i].outputs;
        for (std::size_t k = 0; k < columns[i].size(); ++k)
          c.out += "," + (k < outputs.size() ? csv_value(outputs[k].second) : std::string());
      }
      c.out += "\n";
    }
    if (o_.on_record) keep(in, c, id, std::move(d), {});
    give_back(doc);
    laps.to(c.phases.write);
  }

  // The next document read is built in the memory of this one.
  void give_back(std::optional<Document>& doc) {
    try {
      if (fast_ && doc) fast_->recycle(std::move(*doc));
    } catch (const std::bad_alloc&) {  // only keeping its memory failed: the record is written already
    }
  }

  static void keep(BatchInput& in, Chunk& c, const std::string& id, std::optional<Decision> d,
                   std::vector<Error> errors) {
    in.text.clear();
    in.text.shrink_to_fit();
    c.records.push_back({std::move(in), id, std::move(d), std::move(errors)});
  }

  static EvalOptions options_for(const BatchOptions& o) {
    EvalOptions e = o.eval;
    // A summary reads no text; records given to on_record (an xlsx sheet) show the reasons.
    e.explain = o.eval.explain && (o.format != BatchFormat::none || o.on_record);
    e.validate = false;  // each record is validated as it is read, and refused on its own
    return e;
  }

  const CompiledPack& pack_;
  const BatchOptions& o_;
  detail::Evaluator evaluator_;  // one per worker: its memory is reused from record to record
  Decision decision_;            // likewise, written over for each record (moved out when kept)
  detail::JsonLineMemo memo_;    // what JSON Lines repeat, written once by this worker
  std::size_t rule_count_, output_count_ = 0;  // the CSV's columns
  std::optional<detail::FastReader> fast_;
};

}  // namespace

std::string csv_header(const CompiledPack& pack) {
  const PackInfo& info = pack.info();
  std::string h = "line,id,outcome,errors";
  for (const auto& id : info.rule_ids) h += "," + csv_text(id);
  for (std::size_t i = 0; i < info.rule_ids.size(); ++i)
    for (const auto& o : info.rule_outputs[i]) h += "," + csv_text(info.rule_ids[i] + "." + o);
  return h + "\n";
}

BatchResult run_batch(const CompiledPack& pack, InputSource& in, const BatchOptions& options, std::ostream* out) {
  BatchResult result{Summary(pack, options.eval.as_of.to_string()), false, Outcome::not_applicable};
  unsigned jobs = options.interactive ? 1
                  : options.jobs      ? options.jobs
                                      : std::max(1u, std::thread::hardware_concurrency());
  if (out && options.format == BatchFormat::csv) *out << csv_header(pack);
  std::uint64_t done = 0;
  std::size_t bytes_in_flight = 0;  // of the chunks read and not yet written
  auto finish = [&](Chunk& c) {
    if (out) out->write(c.out.data(), std::streamsize(c.out.size()));
    if (out && options.interactive) out->flush();  // answered before the next line is read
    if (options.on_record)
      for (const auto& r : c.records) options.on_record({r.input, r.id, r.decision ? &*r.decision : nullptr, r.errors});
    std::string why;
    result.summary.merge(c.summary, why);  // INVARIANT: same pack and date
    result.any_invalid = result.any_invalid || c.any_invalid;
    result.phases.add(c.phases);
    if (severity_rank(c.worst) > severity_rank(result.worst)) result.worst = c.worst;
    done += c.summary.records();
  };
  // The output cannot be written (a full disk, a reader gone): reading stops.
  auto failed = [&] { return out && !*out; };
  // With `split`, lines of JSON Lines are only copied here, into one text that the worker splits:
  // the workers take turns at this. A chunk then counts its lines, blank ones too (it may hold no
  // input, and is written as such).
  auto fill = [&](Chunk& c, bool split) {
    c.summary = Summary(pack, options.eval.as_of.to_string());
    const std::size_t most = options.interactive ? 1 : chunk_size;
    Laps laps(options.profile);
    std::size_t n = 0;
    c.split = split && in.next_lines(c.lines, most, chunk_bytes);
    if (c.split) {
      n = c.lines.lines;
      c.bytes = c.lines.text.size();
    } else {
      c.inputs.resize(most);
      while (n < most && c.bytes < chunk_bytes && in.next(fresh(c.inputs[n]))) c.bytes += c.inputs[n++].text.size();
      c.inputs.resize(n);
    }
    laps.to(c.phases.input);
    bytes_in_flight += c.bytes;
    return n > 0;
  };

  if (jobs == 1) {  // no threads to hand chunks to: evaluate where they are read
    Worker w(pack, options);
    Chunk c;
    while (!failed() && fill(c, false)) {
      w.run(c);
      finish(c);
      if (options.progress) options.progress(done);
      bytes_in_flight -= c.bytes;
      c.recycle();
    }
    return result;
  }

  // Each worker reads its own chunks, in turn (one reader at a time, so chunks are numbered in
  // input order): a line is parsed on the core that read it, and this thread only writes
  // finished chunks in order. At most max_in_flight chunks are read and not yet written.
  std::mutex m;
  std::condition_variable cv;
  std::map<std::size_t, std::unique_ptr<Chunk>> ready;
  std::vector<std::unique_ptr<Chunk>> spare;  // written, to be filled again
  std::size_t next_in = 0, next_out = 0;
  bool ended = false;          // the input is read to its end
  bool stopping = false;       // the run is over early: the output failed, or this thread threw
  std::exception_ptr failure;  // a worker's reading failed: rethrown here
  std::size_t failed_at = std::size_t(-1);  // the chunk a worker failed on: written up to it
  const std::size_t max_in_flight = 2 * std::size_t(jobs) + 2;
  auto full = [&] { return next_in - next_out >= max_in_flight || bytes_in_flight >= max_bytes_in_flight; };
  std::vector<std::thread> threads;
  // However this thread leaves (a writer's exception included), no worker is left joinable.
  struct Join {
    std::mutex& m;
    std::condition_variable& cv;
    bool& stopping;
    std::vector<std::thread>& threads;
    ~Join() {
      {
        std::lock_guard lock(m);
        stopping = true;
      }
      cv.notify_all();
      for (auto& t : threads) t.join();
    }
  } join{m, cv, stopping, threads};
  for (unsigned t = 0; t < jobs; ++t)
    threads.emplace_back([&] {
      Worker w(pack, options);
      for (;;) {
        std::unique_ptr<Chunk> chunk;
        std::size_t seq;
        {
          std::unique_lock lock(m);
          cv.wait(lock, [&] { return stopping || ended || !full(); });
          if (stopping || ended) return;
          if (spare.empty()) {
            chunk = std::make_unique<Chunk>();
          } else {
            chunk = std::move(spare.back());
            spare.pop_back();
          }
          try {
            ended = !fill(*chunk, true);
          } catch (...) {  // a source that cannot be read: the run ends with its error
            failure = std::current_exception();
            ended = true;
          }
          if (ended) {
            cv.notify_all();
            return;
          }
          seq = next_in++;
        }
        try {
          w.run(*chunk);  // each input's failure is its record; what escapes (splitting lines) ends the run
        } catch (...) {
          std::lock_guard lock(m);
          if (!failure) failure = std::current_exception();
          failed_at = std::min(failed_at, seq);
          stopping = ended = true;
          cv.notify_all();
          return;
        }
        {
          std::lock_guard lock(m);
          ready.emplace(seq, std::move(chunk));
        }
        cv.notify_all();
      }
    });

  std::unique_lock lock(m);
  for (;;) {
    cv.wait(lock, [&] { return ready.contains(next_out) || (ended && next_out == next_in) || next_out == failed_at; });
    auto it = ready.find(next_out);
    if (it == ready.end() || next_out == failed_at) break;  // all read and written, or up to a failure
    auto chunk = std::move(it->second);
    ready.erase(it);
    lock.unlock();
    finish(*chunk);
    const bool stop = failed();
    lock.lock();
    if (options.progress) options.progress(done);  // no worker is reading: the source may be asked how far it is
    ++next_out;
    bytes_in_flight -= chunk->bytes;
    chunk->recycle();
    spare.push_back(std::move(chunk));
    if (stop) stopping = ended = true;
    cv.notify_all();  // room to read another
  }
  if (failure) std::rethrow_exception(failure);
  return result;
}

}  // namespace rulebook
