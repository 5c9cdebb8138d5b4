// rulebook._rulebook: the engine for Python (pybind11). JSON text crosses the boundary both
// ways; rulebook/__init__.py turns it into dicts whose numbers are decimal.Decimal and raises the
// exceptions. Every call that parses or evaluates releases the GIL: other Python threads run,
// and batch evaluates on its own threads.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "ledger/pack_hash.hpp"
#include "rulebook/batch.hpp"
#include "rulebook/engine.hpp"
#include "rulebook/version.hpp"

namespace py = pybind11;
using namespace rulebook;

namespace {

// One problem as Python sees it: (message, "file:line:col" or "", JSON path or "", CLI text).
using Problem = std::tuple<std::string, std::string, std::string, std::string>;

std::vector<Problem> problems(const std::vector<Error>& errors) {
  std::vector<Problem> out;
  for (const auto& e : errors)
    out.emplace_back(e.message, e.loc.known() ? e.loc.to_string() : std::string(), e.json_path, e.to_string());
  return out;
}

// The review date: required, exactly YYYY-MM-DD.
Date review_date(const std::string& as_of) {
  auto d = Date::parse(as_of);
  if (!d) throw py::value_error("as_of must be a date YYYY-MM-DD, got '" + as_of + "'");
  return *d;
}

// The documents of one batch call, read in order by run_batch.
class TextSource final : public InputSource {
 public:
  // `first`: the line (the place in the whole batch) of the first text, as the command line counts them.
  TextSource(std::vector<std::string> texts, std::size_t first) : texts_(std::move(texts)), first_(first) {}
  bool next(BatchInput& in) override {
    if (next_ == texts_.size()) return false;
    in = BatchInput{};
    in.source = "-";
    in.line = first_ + next_;
    in.text = std::move(texts_[next_++]);
    return true;
  }
  std::uint64_t bytes_read() const override { return 0; }
  std::uint64_t bytes_total() const override { return 0; }

 private:
  std::vector<std::string> texts_;
  std::size_t first_, next_ = 0;
};

// A total past what a decimal holds is no total: refused, as `batch --merge` refuses it.
std::string checked(const Summary& total) {
  if (auto which = total.overflowed(); !which.empty())
    throw py::value_error("the total of " + which + " passes what a decimal holds (36 digits)");
  return total.to_json();
}

class Pack {
 public:
  // `hash`: the content hash of the pack's files, which summaries carry as the command line's do;
  // `hash_error` why it could not be made (a pack whose schemas are found through RULEBOOK_PATH or
  // the working folder loads and decides, but its files cannot all be hashed): only summary needs it.
  Pack(CompiledPack pack, std::string hash, std::string hash_error)
      : pack_(std::move(pack)), hash_(std::move(hash)), hash_error_(std::move(hash_error)) {}

  py::dict info() const {
    const PackInfo& i = pack_.info();
    py::dict d;
    d["id"] = i.id;
    d["version"] = i.version;
    d["title"] = py::dict(py::arg("zh") = i.title.zh, py::arg("en") = i.title.en);
    d["effective_from"] = i.effective_from.to_string();
    d["effective_to"] = i.effective_to.to_string();
    py::list rules;
    for (std::size_t r = 0; r < i.rule_ids.size(); ++r)
      rules.append(py::dict(py::arg("id") = i.rule_ids[r], py::arg("outputs") = i.rule_outputs[r]));
    d["rules"] = rules;
    return d;
  }

  // (kind, decision JSON or "", problems): kind "ok", "json" (malformed) or "input" (schema).
  std::tuple<std::string, std::string, std::vector<Problem>> check(const std::string& text, const std::string& as_of,
                                                                   const std::string& name, bool trace,
                                                                   bool numbers_as_strings) const {
    EvalOptions eval;
    eval.as_of = review_date(as_of);
    eval.trace = trace;
    eval.validate = false;  // validated below, its problems raised as the CLI words them
    py::gil_scoped_release unlocked;
    DocumentResult doc = Document::parse(text, name);
    if (!doc.document) return {"json", {}, problems(doc.errors)};
    if (auto bad = pack_.validate(*doc.document); !bad.empty()) return {"input", {}, problems(bad)};
    return {"ok", to_json(pack_.evaluate(*doc.document, eval), {.numbers_as_strings = numbers_as_strings}), {}};
  }

  // Per document, in order: (decision JSON or "", problems), evaluated on `jobs` threads. `first`:
  // the place of texts[0] among all the documents of the call (Pack.batch sends them in chunks).
  std::vector<std::pair<std::string, std::vector<Problem>>> batch(std::vector<std::string> texts,
                                                                  const std::string& as_of, unsigned jobs, bool trace,
                                                                  bool numbers_as_strings, std::size_t first) const {
    BatchOptions o;
    o.eval.as_of = review_date(as_of);
    o.eval.trace = trace;
    o.jobs = jobs;
    o.format = BatchFormat::none;
    std::vector<std::pair<std::string, std::vector<Problem>>> out;
    out.reserve(texts.size());
    o.on_record = [&](const BatchRecord& r) {
      if (r.decision)
        out.emplace_back(to_json(*r.decision, {.numbers_as_strings = numbers_as_strings}), std::vector<Problem>{});
      else
        out.emplace_back(std::string(), problems(r.errors));
    };
    TextSource source(std::move(texts), first);
    py::gil_scoped_release unlocked;
    run_batch(pack_, source, o, nullptr);
    return out;
  }

  // The summary of `texts` (batch --summary --format json), added to `previous` when given.
  std::string summary(std::vector<std::string> texts, const std::string& as_of, unsigned jobs,
                      const std::string& previous) const {
    // As `batch --summary --format json` does: a summary carries the pack's hash, or is refused.
    if (!hash_error_.empty()) throw std::runtime_error("cannot summarise: " + hash_error_);
    BatchOptions o;
    o.eval.as_of = review_date(as_of);
    o.eval.explain = false;
    o.jobs = jobs;
    o.format = BatchFormat::none;
    TextSource source(std::move(texts), 1);
    std::optional<Summary> total;
    std::string why;
    {
      py::gil_scoped_release unlocked;
      BatchResult r = run_batch(pack_, source, o, nullptr);
      r.summary.set_pack_hash(hash_);
      if (previous.empty()) {
        total = std::move(r.summary);
      } else {
        std::vector<Error> errors;
        total = Summary::from_json(previous, "summary", errors);
        if (!total && !errors.empty()) why = errors.front().to_string();
        if (total && !total->merge(r.summary, why)) total.reset();
      }
    }
    if (!total) throw py::value_error("cannot add to the summary: " + why);
    return checked(*total);
  }

 private:
  CompiledPack pack_;
  std::string hash_, hash_error_;
};

// (pack or None, problems).
py::tuple load(const std::string& dir) {
  LoadResult loaded;
  std::string hash, hash_error;
  {
    py::gil_scoped_release unlocked;
    loaded = load_pack(dir);
    // A pack that loaded decides whether or not its files can all be hashed: the loader finds a
    // schema through RULEBOOK_PATH or the working folder, the hash only beside the pack. The
    // failure is summary's to raise, as `batch --summary --format json` refuses such a pack.
    if (loaded.pack) try {
        hash = ledger::pack_hash(dir);
      } catch (const std::exception& e) {
        hash_error = e.what();
      }
  }
  if (!loaded.pack) return py::make_tuple(py::none(), problems(loaded.errors));
  return py::make_tuple(Pack(*loaded.pack, std::move(hash), std::move(hash_error)), std::vector<Problem>{});
}

// batch --merge: summaries of parts of a corpus added up, as JSON.
std::string merge(const std::vector<std::string>& parts) {
  std::optional<Summary> total;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::vector<Error> errors;
    auto part = Summary::from_json(parts[i], "summary " + std::to_string(i + 1), errors);
    if (!part) throw py::value_error(errors.empty() ? "not a summary" : errors.front().to_string());
    std::string why;
    if (!total)
      total = std::move(part);
    else if (!total->merge(*part, why))
      throw py::value_error("cannot merge summary " + std::to_string(i + 1) + ": " + why);
  }
  if (!total) throw py::value_error("nothing to merge");
  return checked(*total);
}

}  // namespace

PYBIND11_MODULE(_rulebook, m) {
  m.doc() = "rulebook's engine; use the rulebook package, which wraps it";
  m.attr("__version__") = std::string(version());
  py::class_<Pack>(m, "Pack")
      .def("info", &Pack::info)
      .def("check", &Pack::check, py::arg("text"), py::arg("as_of"), py::arg("name"), py::arg("trace"),
           py::arg("numbers_as_strings"))
      .def("batch", &Pack::batch, py::arg("texts"), py::arg("as_of"), py::arg("jobs"), py::arg("trace"),
           py::arg("numbers_as_strings"), py::arg("first") = 1)
      .def("summary", &Pack::summary, py::arg("texts"), py::arg("as_of"), py::arg("jobs"), py::arg("previous"));
  m.def("load", &load, py::arg("dir"));
  m.def("merge", &merge, py::arg("parts"));
}
