// Excel .xlsx exports, as offices produce them (docs/collect.md, "folder"): the first
// worksheet read into rows of cell texts. An .xlsx file is a ZIP archive of XML parts; the
// archive is read with zlib's inflate and the parts with libxml2. Shared strings, inline
// strings and numbers are read; styles and formulas are not evaluated (a formula's cached
// value is read). Pure: bytes in, values out; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::collect {

// Rows in sheet order; cells by column (A = 0), missing cells "". InvalidArgument for a file
// that is not an .xlsx (`not a ZIP archive`, `no worksheet in the workbook`, a damaged part).
Result<std::vector<std::vector<std::string>>> ReadXlsxRows(std::string_view bytes);

// An Excel date serial number (days since 1899-12-30, fraction = time of day) as civil
// seconds since the epoch in the sheet's zone; nullopt for text that is not a number.
std::optional<double> ExcelSerialToCivilSeconds(std::string_view text);

}  // namespace yuqing::collect
