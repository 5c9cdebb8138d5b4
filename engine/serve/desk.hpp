#pragma once
// The review desk: the web page `rulebook serve` answers at / (the files of desk/, built into the
// binary), and what its routes need beyond deciding: sheets turned into documents, ledger search.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.hpp"
#include "rulebook/engine.hpp"
#include "rulebook/error.hpp"
#include "rulebook/report.hpp"

namespace rulebook::serve {

/// One file of desk/, embedded at build time (cmake/embed_files.cmake). The page is part of the
/// binary rather than read from an installed folder: the routes it calls and the page always
/// come from the same build, and `rulebook serve` run from any folder (or installed) has it.
struct DeskAsset {
  std::string_view name;   ///< the file name in desk/ ("index.html")
  std::string_view bytes;
};
/// Every file of desk/, ended by an entry with an empty name.
extern const DeskAsset desk_assets[];

/// The asset called `name`, or null.
const DeskAsset* find_desk_asset(std::string_view name);
/// The Content-Type to serve a file with, by its extension.
std::string desk_content_type(std::string_view name);

/// An uploaded sheet turned into documents through engine/sheet: each application (a group of
/// rows sharing its id) as a JSON document, or the errors that kept it from becoming one.
struct SheetDocument {
  std::string id;          ///< the application id (group_by column), when the sheet has one
  std::size_t row = 0;     ///< the sheet row (xlsx) or line (CSV) where it starts
  std::string text;        ///< the document's JSON; empty when `errors` is not
  std::vector<Error> errors;
  /// Who it is about, where the subject schema's x-applicant says (applicant_of), so that the desk
  /// names each row as the ledger will: from the document, or for one the sheet kept from becoming
  /// a document, from its application cells (a unit's name, an application number).
  Applicant applicant;
};
struct SheetUpload {
  std::vector<SheetDocument> documents;
  std::vector<Error> errors;  ///< the whole sheet or mapping could not be read
};
/// Reads `content` (xlsx when `xlsx`, else CSV) through the mapping YAML `mapping`, or without
/// one as `pack`'s sheet template (open_template_sheet), by way of a private temporary folder,
/// since the sheet readers read files. `file_name` names the sheet in messages.
SheetUpload read_uploaded_sheet(const std::string& content, bool xlsx, const std::optional<std::string>& mapping,
                                const std::string& file_name, const CompiledPack& pack);

/// Whether a record matches a reviewer's search: part of the applicant's name, the credit code
/// or the application id (case-insensitive for ASCII). An empty query matches everything.
bool record_matches(const ledger::Record& r, std::string_view query);

}  // namespace rulebook::serve
