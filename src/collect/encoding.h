// Character encodings of fetched pages and feeds: which one a document is in (the
// Content-Type header, the XML declaration, <meta charset>), and its conversion to UTF-8 with
// glibc's iconv. GBK and GB2312 are read as GB18030, their superset, so a page that says
// GB2312 but uses GBK characters (common on Chinese portals) still converts. Pure apart from
// iconv, which is used per call and is safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace yuqing::collect {

// The charset named by a Content-Type value (`text/xml; charset=GBK` → "gbk"), lower-case;
// "" when it names none.
std::string CharsetFromContentType(std::string_view content_type);

// The charset the document names itself in its first 2 KiB: an XML declaration's encoding,
// an HTML <meta charset=…> or <meta http-equiv content="…; charset=…">; "" when none.
std::string CharsetFromDocument(std::string_view bytes);

// Which charset to read `bytes` in: a UTF-8 byte-order mark wins, then the header, then the
// document's own declaration, then UTF-8 if the bytes are valid UTF-8, else GB18030 (the
// fallback for Chinese sites that declare nothing).
std::string ChooseCharset(std::string_view content_type, std::string_view bytes);

// Converts `bytes` from `charset` to UTF-8. UTF-8 input is checked, not converted; a BOM is
// dropped. InvalidArgument names the charset and the byte offset of the first sequence that
// is not valid in it (`byte 1234 is not valid GB18030`), or an unknown charset.
Result<std::string> ToUtf8(std::string_view bytes, std::string_view charset);

}  // namespace yuqing::collect
