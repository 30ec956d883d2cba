#include "common/formats/docx_reader.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/formats/grid.h"
#include "common/formats/reader_common.h"

namespace gongkai {
namespace {

using gongkai::v1::SEVERITY_INFO;

constexpr absl::string_view kMainPart = "word/document.xml";

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct XmlCtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};

absl::Status ZipError(absl::string_view what, zip_error_t* error) {
  return absl::InvalidArgumentError(
      absl::StrCat("DOCX: ", what, ": ", zip_error_strerror(error)));
}

// Reads one member, inflating at most `cap` bytes.
absl::StatusOr<std::string> ReadMember(zip_t* archive, zip_int64_t index,
                                       size_t cap) {
  std::unique_ptr<zip_file_t, ZipFileCloser> file(
      zip_fopen_index(archive, index, 0));
  if (file == nullptr) {
    zip_error_t* error = zip_get_error(archive);
    if (zip_error_code_zip(error) == ZIP_ER_NOPASSWD ||
        zip_error_code_zip(error) == ZIP_ER_WRONGPASSWD ||
        zip_error_code_zip(error) == ZIP_ER_ENCRNOTSUPP) {
      return absl::InvalidArgumentError("DOCX: encrypted document");
    }
    return ZipError(absl::StrCat("cannot open ", kMainPart), error);
  }
  std::string data;
  char buffer[64 * 1024];
  while (true) {
    zip_int64_t n = zip_fread(file.get(), buffer, sizeof(buffer));
    if (n < 0) {
      return ZipError(absl::StrCat("damaged or truncated ", kMainPart),
                      zip_file_get_error(file.get()));
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > cap) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "DOCX: ", kMainPart, " inflates to more than ", cap,
          " bytes (FormatLimits::max_unzipped_bytes)"));
    }
    data.append(buffer, static_cast<size_t>(n));
  }
  return data;
}

bool IsW(const xmlNode* node, const char* local) {
  if (node->type != XML_ELEMENT_NODE || node->ns == nullptr ||
      node->ns->href == nullptr) {
    return false;
  }
  absl::string_view href(reinterpret_cast<const char*>(node->ns->href));
  return (absl::EndsWith(href, "wordprocessingml/2006/main") ||
          absl::EndsWith(href, "wordprocessingml/main")) &&
         std::strcmp(reinterpret_cast<const char*>(node->name), local) == 0;
}

const xmlNode* ChildW(const xmlNode* node, const char* local) {
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (IsW(c, local)) return c;
  }
  return nullptr;
}

// The text and CDATA children of `node`, concatenated. Entity references
// are NOT followed (xmlNodeGetContent would expand them: billion laughs).
std::string DirectText(const xmlNode* node) {
  std::string out;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
        c->content != nullptr) {
      out += reinterpret_cast<const char*>(c->content);
    }
  }
  return out;
}

// The w:val attribute (namespaced or not); `found` false when absent.
std::string ValAttr(const xmlNode* node, bool* found) {
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (std::strcmp(reinterpret_cast<const char*>(a->name), "val") == 0) {
      *found = true;
      return DirectText(reinterpret_cast<const xmlNode*>(a));
    }
  }
  *found = false;
  return "";
}

int IntVal(const xmlNode* node, int fallback) {
  if (node == nullptr) return fallback;
  bool found = false;
  int n = fallback;
  if (!absl::SimpleAtoi(ValAttr(node, &found), &n) || n < 0) return fallback;
  return n;
}

absl::Status CheckDepth(const xmlNode* node, size_t depth, size_t max_depth) {
  if (depth > max_depth) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "DOCX: XML nesting deeper than ", max_depth,
        " elements (FormatLimits::max_nesting_depth)"));
  }
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    absl::Status s = CheckDepth(c, depth + 1, max_depth);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// The text of runs under `node`: w:t, w:tab (a space), w:br / w:cr and
// paragraph ends ('\n'); field codes and deleted text are skipped.
void CollectText(const xmlNode* node, std::string* out) {
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (IsW(c, "t")) {
      out->append(DirectText(c));
    } else if (IsW(c, "tab")) {
      out->push_back(' ');
    } else if (IsW(c, "br") || IsW(c, "cr")) {
      out->push_back('\n');
    } else if (IsW(c, "instrText") || IsW(c, "delText") || IsW(c, "del") ||
               IsW(c, "rPr") || IsW(c, "pPr") || IsW(c, "tcPr") ||
               IsW(c, "trPr") || IsW(c, "tblPr") ||
               std::strcmp(reinterpret_cast<const char*>(c->name), "Fallback") == 0) {
      // mc:Fallback repeats its mc:Choice (text boxes, drawings).
      continue;
    } else {
      CollectText(c, out);
      if (IsW(c, "p")) out->push_back('\n');
    }
  }
}

class DocxRenderer {
 public:
  explicit DocxRenderer(size_t* cell_budget) : cell_budget_(cell_budget) {}

  // Walks block-level content: paragraphs, tables, content controls.
  absl::Status RenderBlocks(const xmlNode* parent) {
    for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
      if (IsW(c, "p")) {
        std::string raw;
        CollectText(c, &raw);
        // A w:br inside a paragraph starts a new line.
        size_t start = 0;
        while (start <= raw.size()) {
          size_t nl = raw.find('\n', start);
          if (nl == std::string::npos) nl = raw.size();
          std::string line = CellText(raw.substr(start, nl - start));
          if (!line.empty()) absl::StrAppend(&out_, line, "\n");
          start = nl + 1;
        }
      } else if (IsW(c, "tbl")) {
        absl::Status s = RenderTable(c);
        if (!s.ok()) return s;
      } else if (IsW(c, "sdt") || IsW(c, "sdtContent") ||
                 IsW(c, "customXml") || IsW(c, "body")) {
        absl::Status s = RenderBlocks(c);
        if (!s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

  std::string Finish() { return std::move(out_); }
  int tables() const { return tables_; }

 private:
  // Appends the w:tr (or w:tc) children of `node`, looking through
  // content controls.
  static void Children(const xmlNode* node, const char* local,
                       std::vector<const xmlNode*>* out) {
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
      if (IsW(c, local)) {
        out->push_back(c);
      } else if (IsW(c, "sdt") || IsW(c, "sdtContent") || IsW(c, "customXml")) {
        Children(c, local, out);
      }
    }
  }

  absl::Status RenderTable(const xmlNode* tbl) {
    TableGrid grid(cell_budget_);
    std::vector<const xmlNode*> rows;
    Children(tbl, "tr", &rows);
    for (const xmlNode* tr : rows) {
      grid.StartRow();
      const xmlNode* tr_pr = ChildW(tr, "trPr");
      int before = tr_pr == nullptr ? 0 : IntVal(ChildW(tr_pr, "gridBefore"), 0);
      if (before > 0) {
        absl::Status s = grid.AddCell("", 1, before);
        if (!s.ok()) return s;
      }
      std::vector<const xmlNode*> cells;
      Children(tr, "tc", &cells);
      for (const xmlNode* tc : cells) {
        const xmlNode* pr = ChildW(tc, "tcPr");
        int span = pr == nullptr ? 1 : IntVal(ChildW(pr, "gridSpan"), 1);
        bool continuation = false;
        if (pr != nullptr) {
          const xmlNode* vmerge = ChildW(pr, "vMerge");
          if (vmerge != nullptr) {
            bool found = false;
            std::string val = ValAttr(vmerge, &found);
            continuation = !found || val == "continue";
          }
        }
        std::string text;
        if (!continuation) {
          std::string raw;
          CollectText(tc, &raw);
          text = CellText(raw);
        }
        absl::Status s = grid.AddCell(std::move(text), 1, span);
        if (!s.ok()) return s;
      }
    }
    out_ += grid.ToTsv();
    ++tables_;
    return absl::OkStatus();
  }

  size_t* cell_budget_;
  std::string out_;
  int tables_ = 0;
};

}  // namespace

absl::StatusOr<ExtractedText> ReadDocx(absl::string_view bytes,
                                       const FormatLimits& limits) {
  static std::once_flag xml_init;
  std::call_once(xml_init, [] { xmlInitParser(); });

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source =
      zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) return ZipError("cannot read the zip", &error);
  std::unique_ptr<zip_t, ZipCloser> archive(
      zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (archive == nullptr) {
    zip_source_free(source);
    absl::Status s = ZipError("not a readable zip (damaged or truncated)", &error);
    zip_error_fini(&error);
    return s;
  }
  zip_error_fini(&error);

  zip_int64_t entries = zip_get_num_entries(archive.get(), 0);
  uint64_t declared = 0;
  zip_int64_t main_index = -1;
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t st;
    if (zip_stat_index(archive.get(), i, 0, &st) != 0) {
      return ZipError("damaged zip directory", zip_get_error(archive.get()));
    }
    if (st.valid & ZIP_STAT_SIZE) declared += st.size;
    if ((st.valid & ZIP_STAT_NAME) && st.name != nullptr &&
        kMainPart == st.name) {
      main_index = i;
    }
  }
  if (declared > limits.max_unzipped_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "DOCX: members declare ", declared, " uncompressed bytes, over the ",
        limits.max_unzipped_bytes, "-byte limit (FormatLimits::max_unzipped_bytes)"));
  }
  if (main_index < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("DOCX: the zip has no ", kMainPart));
  }
  absl::StatusOr<std::string> xml =
      ReadMember(archive.get(), main_index, limits.max_unzipped_bytes);
  if (!xml.ok()) return xml.status();

  std::unique_ptr<xmlParserCtxt, XmlCtxtFree> ctxt(xmlNewParserCtxt());
  if (ctxt == nullptr) return absl::ResourceExhaustedError("DOCX: out of memory");
  // No XML_PARSE_NOENT (no entity substitution), no DTD loading, no network,
  // no error printing; libxml2's own depth and size limits stay on (no
  // XML_PARSE_HUGE).
  std::unique_ptr<xmlDoc, XmlDocFree> doc(xmlCtxtReadMemory(
      ctxt.get(), xml->data(), static_cast<int>(xml->size()), kMainPart.data(),
      nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (doc == nullptr) {
    const xmlError* err = xmlCtxtGetLastError(ctxt.get());
    std::string why = err != nullptr && err->message != nullptr
                          ? std::string(err->message)
                          : std::string("malformed XML");
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    if (err != nullptr && err->code == XML_ERR_INTERNAL_ERROR &&
        absl::StrContains(why, "depth")) {
      return absl::ResourceExhaustedError(
          absl::StrCat("DOCX: XML nesting too deep: ", why));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "DOCX: ", kMainPart, " is not well-formed XML",
        err != nullptr ? absl::StrCat(" (line ", err->line, ": ", why, ")") : ""));
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || !IsW(root, "document")) {
    return absl::InvalidArgumentError(
        absl::StrCat("DOCX: ", kMainPart, " has no w:document root"));
  }
  absl::Status depth = CheckDepth(root, 0, limits.max_nesting_depth);
  if (!depth.ok()) return depth;
  const xmlNode* body = ChildW(root, "body");
  ExtractedText result;
  result.container = Container::kDocx;
  size_t budget = limits.max_table_cells;
  DocxRenderer renderer(&budget);
  if (body != nullptr) {
    absl::Status s = renderer.RenderBlocks(body);
    if (!s.ok()) return s;
  }
  result.text = renderer.Finish();
  AddDiagnostic(&result, SEVERITY_INFO, "format.tables",
                absl::StrCat(renderer.tables(), " table(s) rebuilt as grids"));
  return result;
}

}  // namespace gongkai
