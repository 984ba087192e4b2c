#include "collect/xlsx.h"

#include <fmt/format.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zlib.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

namespace yuqing::collect {
namespace {

uint32_t U32(std::string_view b, size_t at) {
  if (at + 4 > b.size()) return 0;
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
uint16_t U16(std::string_view b, size_t at) {
  if (at + 2 > b.size()) return 0;
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               static_cast<unsigned char>(b[at + 1]) << 8);
}

struct Entry {
  uint16_t method = 0;
  uint32_t compressed = 0;
  uint32_t size = 0;
  uint32_t local_offset = 0;
};

// The central directory of a ZIP archive (APPNOTE.TXT §4.3.16 end record, §4.3.12 entries).
Result<std::map<std::string, Entry>> Directory(std::string_view b) {
  if (b.size() < 22) return Status::InvalidArgument("not a ZIP archive (too short)");
  size_t end = std::string_view::npos;
  size_t lowest = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
  for (size_t i = b.size() - 22 + 1; i-- > lowest;) {
    if (U32(b, i) == 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end == std::string_view::npos) return Status::InvalidArgument("not a ZIP archive");
  uint16_t count = U16(b, end + 10);
  size_t at = U32(b, end + 16);
  std::map<std::string, Entry> out;
  for (uint16_t i = 0; i < count; ++i) {
    if (U32(b, at) != 0x02014b50) return Status::InvalidArgument("damaged ZIP directory");
    Entry e;
    e.method = U16(b, at + 10);
    e.compressed = U32(b, at + 20);
    e.size = U32(b, at + 24);
    uint16_t name_len = U16(b, at + 28);
    uint16_t extra_len = U16(b, at + 30);
    uint16_t comment_len = U16(b, at + 32);
    e.local_offset = U32(b, at + 42);
    if (at + 46 + name_len > b.size()) return Status::InvalidArgument("damaged ZIP directory");
    out.emplace(std::string(b.substr(at + 46, name_len)), e);
    at += 46 + name_len + extra_len + comment_len;
  }
  return out;
}

Result<std::string> Extract(std::string_view b, const std::string& name, const Entry& e) {
  size_t at = e.local_offset;
  if (U32(b, at) != 0x04034b50)
    return Status::InvalidArgument(fmt::format("damaged part {}", name));
  size_t data = at + 30 + U16(b, at + 26) + U16(b, at + 28);
  if (data + e.compressed > b.size()) {
    return Status::InvalidArgument(fmt::format("part {} is cut short", name));
  }
  std::string_view raw = b.substr(data, e.compressed);
  if (e.method == 0) return std::string(raw);
  if (e.method != 8) {
    return Status::InvalidArgument(
        fmt::format("part {}: compression {} not supported", name, e.method));
  }
  if (e.size > (256u << 20))
    return Status::ResourceExhausted(fmt::format("part {} too large", name));
  std::string out(e.size, '\0');
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return Status::Internal("zlib inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return Status::InvalidArgument(fmt::format("part {} does not inflate", name));
  out.resize(zs.total_out);
  return out;
}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

Result<std::unique_ptr<xmlDoc, DocFree>> ParseXml(const std::string& xml, const std::string& name) {
  std::unique_ptr<xmlDoc, DocFree> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, "UTF-8",
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE));
  if (!doc) return Status::InvalidArgument(fmt::format("part {} is not XML", name));
  return doc;
}

std::string_view Name(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::string Attr(const xmlNode* n, const char* a) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(a));
  if (v == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

// Text of every <t> below `n` (a shared string's runs, an inline string).
void Texts(const xmlNode* n, std::string& out) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (Name(c) == "t") {
      xmlChar* t = xmlNodeGetContent(c);
      if (t != nullptr) out += reinterpret_cast<const char*>(t);
      xmlFree(t);
    } else if (Name(c) != "rPh") {  // phonetic runs are not part of the text
      Texts(c, out);
    }
  }
}

const xmlNode* Child(const xmlNode* n, std::string_view name) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && Name(c) == name) return c;
  }
  return nullptr;
}

// "C12" → 2.
size_t Column(std::string_view ref) {
  size_t col = 0;
  for (char c : ref) {
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + static_cast<size_t>(c - 'A' + 1);
  }
  return col == 0 ? 0 : col - 1;
}

}  // namespace

std::optional<double> ExcelSerialToCivilSeconds(std::string_view text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < 1 || v > 2958465) {
    return std::nullopt;
  }
  // 25569 days from 1899-12-30 to 1970-01-01.
  return (v - 25569.0) * 86400.0;
}

Result<std::vector<std::vector<std::string>>> ReadXlsxRows(std::string_view bytes) {
  YQ_ASSIGN_OR_RETURN(auto dir, Directory(bytes));
  std::vector<std::string> shared;
  if (auto it = dir.find("xl/sharedStrings.xml"); it != dir.end()) {
    YQ_ASSIGN_OR_RETURN(std::string xml, Extract(bytes, it->first, it->second));
    YQ_ASSIGN_OR_RETURN(auto doc, ParseXml(xml, it->first));
    for (const xmlNode* si = xmlDocGetRootElement(doc.get())->children; si != nullptr;
         si = si->next) {
      if (si->type != XML_ELEMENT_NODE || Name(si) != "si") continue;
      std::string s;
      Texts(si, s);
      shared.push_back(std::move(s));
    }
  }
  auto sheet = dir.find("xl/worksheets/sheet1.xml");
  if (sheet == dir.end()) {
    for (auto it = dir.begin(); it != dir.end(); ++it) {
      if (it->first.starts_with("xl/worksheets/") && it->first.ends_with(".xml")) {
        sheet = it;
        break;
      }
    }
  }
  if (sheet == dir.end()) return Status::InvalidArgument("no worksheet in the workbook");
  YQ_ASSIGN_OR_RETURN(std::string xml, Extract(bytes, sheet->first, sheet->second));
  YQ_ASSIGN_OR_RETURN(auto doc, ParseXml(xml, sheet->first));
  const xmlNode* data = Child(xmlDocGetRootElement(doc.get()), "sheetData");
  std::vector<std::vector<std::string>> rows;
  if (data == nullptr) return rows;
  for (const xmlNode* row = data->children; row != nullptr; row = row->next) {
    if (row->type != XML_ELEMENT_NODE || Name(row) != "row") continue;
    std::vector<std::string> cells;
    size_t next = 0;
    for (const xmlNode* c = row->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE || Name(c) != "c") continue;
      std::string ref = Attr(c, "r");
      size_t col = ref.empty() ? next : Column(ref);
      next = col + 1;
      std::string type = Attr(c, "t");
      std::string value;
      if (type == "inlineStr") {
        if (const xmlNode* is = Child(c, "is")) Texts(is, value);
      } else if (const xmlNode* v = Child(c, "v")) {
        xmlChar* t = xmlNodeGetContent(v);
        value = t == nullptr ? "" : reinterpret_cast<const char*>(t);
        xmlFree(t);
        if (type == "s") {
          size_t i = 0;
          auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), i);
          if (ec != std::errc() || i >= shared.size()) {
            return Status::InvalidArgument(
                fmt::format("cell {}: shared string {} does not exist", ref, value));
          }
          value = shared[i];
        }
      }
      if (col > 16383) continue;  // beyond Excel's last column: a damaged reference
      if (cells.size() <= col) cells.resize(col + 1);
      cells[col] = std::move(value);
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

}  // namespace yuqing::collect
