#include "common/formats/html_reader.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/formats/grid.h"
#include "common/formats/gumbo_arena.h"
#include "common/formats/reader_common.h"
#include "common/parse/decode.h"

namespace gongkai {
namespace {

using gongkai::v1::SEVERITY_INFO;
using gongkai::v1::SEVERITY_WARNING;

// The pre-parse nesting scan allows this many times max_nesting_depth: it
// cannot know which tags the HTML5 tree builder will close implicitly, so it
// only guards gumbo (whose tree building and teardown cost grows with depth)
// against pathological input; the exact check runs on the parsed tree.
constexpr size_t kPrescanSlack = 4;

bool IsVoidOrOptionalEnd(absl::string_view name) {
  static constexpr absl::string_view kTags[] = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
      "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd",
      "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
      "colgroup", "rb", "rt", "rp", "caption", "html", "head", "body",
      "basefont", "frame", "keygen", "isindex", "image", "spacer"};
  // The tags by length, so that a name meets only those of its size (the
  // prescan asks this of every tag in the page).
  constexpr size_t kLongest = [] {
    size_t longest = 0;
    for (absl::string_view t : kTags) longest = std::max(longest, t.size());
    return longest;
  }();
  static const auto* const kByLength = [] {
    auto* by_length = new std::array<std::vector<absl::string_view>, kLongest + 1>();
    for (absl::string_view t : kTags) (*by_length)[t.size()].push_back(t);
    return by_length;
  }();
  if (name.size() > kLongest) return false;
  for (absl::string_view t : (*kByLength)[name.size()]) {
    if (name == t) return true;
  }
  return false;
}

// Coarse open-minus-close tag depth of the raw markup (comments, script and
// style bodies skipped). Returns the maximum reached.
size_t PrescanDepth(absl::string_view html) {
  size_t depth = 0, max_depth = 0;
  size_t i = 0;
  const size_t n = html.size();
  auto skip_to = [&](absl::string_view needle) {
    size_t pos = html.find(needle, i);
    i = pos == absl::string_view::npos ? n : pos + needle.size();
  };
  while (i < n) {
    size_t lt = html.find('<', i);
    if (lt == absl::string_view::npos) break;
    i = lt + 1;
    if (html.substr(lt, 4) == "<!--") {
      skip_to("-->");
      continue;
    }
    bool closing = i < n && html[i] == '/';
    if (closing) ++i;
    size_t start = i;
    while (i < n && absl::ascii_isalnum(static_cast<unsigned char>(html[i]))) ++i;
    if (i == start) continue;
    std::string name = absl::AsciiStrToLower(html.substr(start, i - start));
    size_t gt = html.find('>', i);
    if (gt == absl::string_view::npos) break;
    bool self_closing = gt > 0 && html[gt - 1] == '/';
    i = gt + 1;
    if (closing) {
      if (!IsVoidOrOptionalEnd(name) && depth > 0) --depth;
      continue;
    }
    if (name == "script" || name == "style") {
      skip_to(absl::StrCat("</", name));
      continue;
    }
    if (self_closing || IsVoidOrOptionalEnd(name)) continue;
    max_depth = std::max(max_depth, ++depth);
  }
  return max_depth;
}

bool IsSkipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
      return true;
    default:
      return false;
  }
}

bool IsHeading(GumboTag tag) {
  return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 ||
         tag == GUMBO_TAG_H4 || tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

bool IsBlock(GumboTag tag) {
  if (IsHeading(tag)) return true;
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_BODY:
      return true;
    default:
      return false;
  }
}

const GumboVector* Children(const GumboNode* node) {
  if (node->type == GUMBO_NODE_ELEMENT) return &node->v.element.children;
  if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
  if (node->type == GUMBO_NODE_TEMPLATE) return &node->v.element.children;
  return nullptr;
}

bool IsElement(const GumboNode* node, GumboTag tag) {
  return node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == tag;
}

absl::string_view Attr(const GumboNode* node, const char* name) {
  if (node->type != GUMBO_NODE_ELEMENT) return {};
  const GumboAttribute* a =
      gumbo_get_attribute(&node->v.element.attributes, name);
  return a == nullptr ? absl::string_view() : absl::string_view(a->value);
}

int SpanAttr(const GumboNode* node, const char* name) {
  absl::string_view v = absl::StripAsciiWhitespace(Attr(node, name));
  // Leading digits only ("2;" and "2px" are read as 2, as browsers do).
  size_t end = 0;
  while (end < v.size() && end < 6 && absl::ascii_isdigit(v[end])) ++end;
  int n = 1;
  if (end == 0 || !absl::SimpleAtoi(v.substr(0, end), &n) || n < 1) return 1;
  return n;
}

// Depth-first walk over elements and text with an explicit depth bound.
// Returns RESOURCE_EXHAUSTED when the tree is deeper than `max_depth`.
absl::Status CheckDepth(const GumboNode* root, size_t max_depth) {
  struct Frame {
    const GumboNode* node;
    size_t depth;
  };
  std::vector<Frame> stack = {{root, 0}};
  while (!stack.empty()) {
    Frame f = stack.back();
    stack.pop_back();
    if (f.depth > max_depth) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "HTML nesting deeper than ", max_depth,
          " elements (FormatLimits::max_nesting_depth)"));
    }
    const GumboVector* kids = Children(f.node);
    if (kids == nullptr) continue;
    for (unsigned i = 0; i < kids->length; ++i) {
      stack.push_back({static_cast<const GumboNode*>(kids->data[i]), f.depth + 1});
    }
  }
  return absl::OkStatus();
}

// Collects the text under `node` (script/style skipped); block boundaries and
// <br> become '\n'. Depth is bounded by CheckDepth() beforehand.
void CollectText(const GumboNode* node, std::string* out) {
  switch (node->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_CDATA:
    case GUMBO_NODE_WHITESPACE:
      out->append(node->v.text.text);
      return;
    case GUMBO_NODE_ELEMENT: {
      GumboTag tag = node->v.element.tag;
      if (IsSkipped(tag)) return;
      if (tag == GUMBO_TAG_BR) {
        out->push_back('\n');
        return;
      }
      bool block = IsBlock(tag);
      if (block) out->push_back('\n');
      const GumboVector* kids = Children(node);
      for (unsigned i = 0; i < kids->length; ++i) {
        CollectText(static_cast<const GumboNode*>(kids->data[i]), out);
      }
      if (block) out->push_back('\n');
      return;
    }
    default:
      return;
  }
}

size_t TextLength(const GumboNode* node) {
  std::string text;
  CollectText(node, &text);
  return CellText(text).size();
}

bool ContainsTag(const GumboNode* node, GumboTag tag, bool include_self) {
  if (include_self && IsElement(node, tag)) return true;
  const GumboVector* kids = Children(node);
  if (kids == nullptr) return false;
  for (unsigned i = 0; i < kids->length; ++i) {
    if (ContainsTag(static_cast<const GumboNode*>(kids->data[i]), tag, true)) {
      return true;
    }
  }
  return false;
}

// The rows of a table in document order (through thead/tbody/tfoot, not into
// nested tables).
void TableRows(const GumboNode* node, std::vector<const GumboNode*>* rows) {
  const GumboVector* kids = Children(node);
  if (kids == nullptr) return;
  for (unsigned i = 0; i < kids->length; ++i) {
    const GumboNode* kid = static_cast<const GumboNode*>(kids->data[i]);
    if (kid->type != GUMBO_NODE_ELEMENT) continue;
    GumboTag tag = kid->v.element.tag;
    if (tag == GUMBO_TAG_TR) {
      rows->push_back(kid);
    } else if (tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_THEAD ||
               tag == GUMBO_TAG_TFOOT) {
      TableRows(kid, rows);
    }
  }
}

// A data table has no table inside its cells.
bool IsDataTable(const GumboNode* table) {
  std::vector<const GumboNode*> rows;
  TableRows(table, &rows);
  for (const GumboNode* row : rows) {
    if (ContainsTag(row, GUMBO_TAG_TABLE, false)) return false;
  }
  return !rows.empty();
}

// A report table: a data table that talks about disclosure/administration
// and has at least one cell holding only a number.
bool IsReportTable(const GumboNode* table) {
  if (!IsElement(table, GUMBO_TAG_TABLE) || !IsDataTable(table)) return false;
  std::string text;
  CollectText(table, &text);
  if (!absl::StrContains(text, "信息") && !absl::StrContains(text, "申请") &&
      !absl::StrContains(text, "行政")) {
    return false;
  }
  std::vector<const GumboNode*> rows;
  TableRows(table, &rows);
  for (const GumboNode* row : rows) {
    const GumboVector* cells = Children(row);
    for (unsigned i = 0; i < cells->length; ++i) {
      const GumboNode* cell = static_cast<const GumboNode*>(cells->data[i]);
      if (!IsElement(cell, GUMBO_TAG_TD) && !IsElement(cell, GUMBO_TAG_TH)) continue;
      std::string raw;
      CollectText(cell, &raw);
      std::string v = CellText(raw);
      bool number = !v.empty();
      for (char c : v) {
        number = number && (absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
                            c == '.' || c == ',' || c == '-');
      }
      if (number) return true;
    }
  }
  return false;
}

void FindAll(const GumboNode* node,
             bool (*pred)(const GumboNode*),
             std::vector<const GumboNode*>* out) {
  if (pred(node)) out->push_back(node);
  const GumboVector* kids = Children(node);
  if (kids == nullptr) return;
  for (unsigned i = 0; i < kids->length; ++i) {
    const GumboNode* kid = static_cast<const GumboNode*>(kids->data[i]);
    if (kid->type == GUMBO_NODE_ELEMENT && IsSkipped(kid->v.element.tag)) continue;
    FindAll(kid, pred, out);
  }
}

bool IsTrsEditor(const GumboNode* node) {
  if (node->type != GUMBO_NODE_ELEMENT) return false;
  std::string cls = absl::AsciiStrToLower(Attr(node, "class"));
  return absl::StrContains(cls, "trs_editor");
}

bool IsParagraphLike(const GumboNode* node) {
  if (node->type != GUMBO_NODE_ELEMENT) return false;
  if (IsHeading(node->v.element.tag)) return true;
  switch (node->v.element.tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
      return true;
    case GUMBO_TAG_TABLE:
      return IsDataTable(node);
    default:
      return false;
  }
}

// Picks the article element; `how` says which rule chose it.
const GumboNode* FindArticle(const GumboNode* body, std::string* how) {
  const GumboNode* best = nullptr;
  std::vector<const GumboNode*> found;
  FindAll(body, IsTrsEditor, &found);
  size_t best_len = 0;
  for (const GumboNode* n : found) {
    size_t len = TextLength(n);
    if (len > best_len) {
      best_len = len;
      best = n;
    }
  }
  if (best != nullptr) {
    *how = "the TRS_Editor element";
  } else {
    // Score parents by the text of their paragraph-like children (half to
    // the grandparent), as article extractors do.
    found.clear();
    FindAll(body, IsParagraphLike, &found);
    // Insertion-ordered scores (ties go to the element met first).
    std::vector<std::pair<const GumboNode*, size_t>> scores;
    absl::flat_hash_map<const GumboNode*, size_t> index;
    auto add = [&](const GumboNode* n, size_t s) {
      auto [it, inserted] = index.try_emplace(n, scores.size());
      if (inserted) scores.push_back({n, 0});
      scores[it->second].second += s;
    };
    for (const GumboNode* p : found) {
      size_t len = TextLength(p);
      if (p->parent != nullptr) add(p->parent, len);
      if (p->parent != nullptr && p->parent->parent != nullptr) {
        add(p->parent->parent, len / 2);
      }
    }
    size_t best_score = 0;
    for (const auto& e : scores) {
      if (e.second > best_score && e.first->type == GUMBO_NODE_ELEMENT) {
        best_score = e.second;
        best = e.first;
      }
    }
    *how = best != nullptr ? "the element with the most paragraph text"
                           : "the whole body";
    if (best == nullptr) best = body;
  }
  return best;
}

// The parts of the page to render, in document order: the article and
// every report table outside it.
void CollectParts(const GumboNode* node, const GumboNode* article,
                  std::vector<const GumboNode*>* parts) {
  if (node == article || IsReportTable(node)) {
    parts->push_back(node);
    return;
  }
  const GumboVector* kids = Children(node);
  if (kids == nullptr) return;
  for (unsigned i = 0; i < kids->length; ++i) {
    const GumboNode* kid = static_cast<const GumboNode*>(kids->data[i]);
    if (kid->type == GUMBO_NODE_ELEMENT && IsSkipped(kid->v.element.tag)) continue;
    CollectParts(kid, article, parts);
  }
}

// The document <title>, without the portal's suffix ("…年度报告_栏目_站名"
// keeps "…年度报告"); empty when there is none.
std::string PageTitle(const GumboNode* root) {
  std::vector<const GumboNode*> titles;
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty() && titles.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (IsElement(n, GUMBO_TAG_TITLE)) {
      titles.push_back(n);
      break;
    }
    if (IsElement(n, GUMBO_TAG_BODY)) continue;
    const GumboVector* kids = Children(n);
    if (kids == nullptr) continue;
    for (unsigned i = 0; i < kids->length; ++i) {
      stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
    }
  }
  if (titles.empty()) return "";
  std::string raw;
  const GumboVector* kids = Children(titles[0]);
  for (unsigned i = 0; i < kids->length; ++i) {
    const GumboNode* k = static_cast<const GumboNode*>(kids->data[i]);
    if (k->type == GUMBO_NODE_TEXT) raw += k->v.text.text;
  }
  std::string title = CellText(raw);
  for (absl::string_view sep : {"_", " - ", "|", "－", "——"}) {
    size_t pos = title.find(std::string(sep));
    if (pos != std::string::npos && pos > 0 &&
        absl::StrContains(title.substr(0, pos), "报告")) {
      title.resize(pos);
    }
  }
  return CellText(title);
}

class Renderer {
 public:
  explicit Renderer(size_t* cell_budget) : cell_budget_(cell_budget) {}

  absl::Status Render(const GumboNode* node) {
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        line_.append(node->v.text.text);
        return absl::OkStatus();
      case GUMBO_NODE_ELEMENT:
        break;
      default:
        return absl::OkStatus();
    }
    GumboTag tag = node->v.element.tag;
    if (IsSkipped(tag)) return absl::OkStatus();
    if (tag == GUMBO_TAG_BR) {
      Flush();
      return absl::OkStatus();
    }
    if (tag == GUMBO_TAG_TABLE && IsDataTable(node)) {
      Flush();
      return RenderTable(node);
    }
    bool block = IsBlock(tag);
    if (block) Flush();
    const GumboVector* kids = Children(node);
    for (unsigned i = 0; i < kids->length; ++i) {
      absl::Status s = Render(static_cast<const GumboNode*>(kids->data[i]));
      if (!s.ok()) return s;
    }
    if (block) Flush();
    return absl::OkStatus();
  }

  std::string Finish() {
    Flush();
    return std::move(out_);
  }
  int tables() const { return tables_; }

 private:
  void Flush() {
    std::string text = CellText(line_);
    line_.clear();
    if (text.empty()) return;
    out_ += text;
    out_.push_back('\n');
  }

  absl::Status RenderTable(const GumboNode* table) {
    const GumboVector* parts = Children(table);
    for (unsigned i = 0; i < parts->length; ++i) {
      const GumboNode* part = static_cast<const GumboNode*>(parts->data[i]);
      if (IsElement(part, GUMBO_TAG_CAPTION)) {
        CollectText(part, &line_);
        Flush();
      }
    }
    std::vector<const GumboNode*> rows;
    TableRows(table, &rows);
    TableGrid grid(cell_budget_);
    for (const GumboNode* row : rows) {
      grid.StartRow();
      const GumboVector* cells = Children(row);
      for (unsigned i = 0; i < cells->length; ++i) {
        const GumboNode* cell = static_cast<const GumboNode*>(cells->data[i]);
        if (!IsElement(cell, GUMBO_TAG_TD) && !IsElement(cell, GUMBO_TAG_TH)) {
          continue;
        }
        std::string raw;
        CollectText(cell, &raw);
        absl::Status s = grid.AddCell(CellText(raw), SpanAttr(cell, "rowspan"),
                                      SpanAttr(cell, "colspan"));
        if (!s.ok()) return s;
      }
    }
    out_ += grid.ToTsv();
    ++tables_;
    return absl::OkStatus();
  }

  size_t* cell_budget_;
  std::string line_;
  std::string out_;
  int tables_ = 0;
};

bool IsGbFamily(absl::string_view charset) {
  return charset == "gb2312" || charset == "gbk" || charset == "gb18030" ||
         charset == "x-gbk" || charset == "cp936" || charset == "euc-cn";
}

// Under AddressSanitizer gumbo keeps malloc, so that a read past a node or a
// string is still caught (an arena chunk is one allocation to ASan).
// (GCC defines __SANITIZE_ADDRESS__; clang answers __has_feature.)
#if defined(__has_feature)
#define GONGKAI_HAS_FEATURE(x) __has_feature(x)
#else
#define GONGKAI_HAS_FEATURE(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || GONGKAI_HAS_FEATURE(address_sanitizer)
constexpr bool kGumboInArena = false;
#else
constexpr bool kGumboInArena = true;
#endif
#undef GONGKAI_HAS_FEATURE

// The thread's arena for gumbo's memory (one parse at a time per thread).
GumboArena& ThreadGumboArena() {
  thread_local GumboArena arena;
  return arena;
}

// Releases a tree parsed in the thread's arena: all at once by Reset(),
// after gumbo_destroy_output only when some blocks came from malloc.
struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const {
    if (!kGumboInArena) {
      gumbo_destroy_output(&kGumboDefaultOptions, output);
      return;
    }
    GumboArena& arena = ThreadGumboArena();
    if (arena.fell_back()) {
      const GumboOptions options = arena.Options();
      gumbo_destroy_output(&options, output);
    }
    arena.Reset();
  }
};

}  // namespace

std::string DeclaredHtmlCharset(absl::string_view bytes) {
  std::string head = absl::AsciiStrToLower(bytes.substr(0, 4096));
  size_t pos = 0;
  while ((pos = head.find("charset", pos)) != std::string::npos) {
    pos += 7;
    size_t i = pos;
    while (i < head.size() && (head[i] == ' ' || head[i] == '=' ||
                               head[i] == '"' || head[i] == '\'')) {
      ++i;
    }
    if (i == pos) continue;  // "charset" not followed by '=' etc.
    size_t start = i;
    while (i < head.size() && (absl::ascii_isalnum(head[i]) || head[i] == '-' ||
                               head[i] == '_')) {
      ++i;
    }
    if (i > start) return head.substr(start, i - start);
  }
  return "";
}

absl::StatusOr<ExtractedText> ReadHtml(absl::string_view bytes,
                                       const FormatLimits& limits) {
  ExtractedText result;
  result.container = Container::kHtml;
  std::string declared = DeclaredHtmlCharset(bytes);
  absl::StatusOr<DecodedText> decoded = DecodeToUtf8(bytes);
  if (!decoded.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("HTML page: ", decoded.status().message()));
  }
  std::string msg = absl::StrCat("HTML decoded as ", decoded->encoding);
  if (!declared.empty()) absl::StrAppend(&msg, " (page declares ", declared, ")");
  bool declared_gb = IsGbFamily(declared);
  bool decoded_gb = decoded->encoding == "GB18030";
  bool mismatch = !declared.empty() && declared_gb != decoded_gb &&
                  (declared_gb || declared == "utf-8" || declared == "utf8");
  AddDiagnostic(&result, mismatch ? SEVERITY_WARNING : SEVERITY_INFO,
                "format.html.charset", msg);

  const std::string& html = decoded->utf8;
  size_t prescan = PrescanDepth(html);
  if (prescan > limits.max_nesting_depth * kPrescanSlack) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "HTML nesting deeper than ", limits.max_nesting_depth,
        " elements (FormatLimits::max_nesting_depth)"));
  }
  const GumboOptions gumbo_options =
      kGumboInArena ? ThreadGumboArena().Options() : kGumboDefaultOptions;
  std::unique_ptr<GumboOutput, GumboOutputDeleter> output(
      gumbo_parse_with_options(&gumbo_options, html.data(), html.size()));
  if (output == nullptr || output->root == nullptr) {
    return absl::InvalidArgumentError("HTML page: the parser returned no tree");
  }
  absl::Status depth = CheckDepth(output->root, limits.max_nesting_depth);
  if (!depth.ok()) return depth;

  const GumboNode* body = output->root;
  const GumboVector* kids = Children(output->root);
  for (unsigned i = 0; i < kids->length; ++i) {
    const GumboNode* kid = static_cast<const GumboNode*>(kids->data[i]);
    if (IsElement(kid, GUMBO_TAG_BODY)) body = kid;
  }
  std::string title = PageTitle(output->root);
  std::string how;
  const GumboNode* article = FindArticle(body, &how);

  // Report tables outside the article are read only when it has none (a
  // page that keeps its tables apart from its text); otherwise they are
  // site chrome.
  std::vector<const GumboNode*> parts;
  std::vector<const GumboNode*> inner_tables;
  FindAll(article, IsReportTable, &inner_tables);
  if (inner_tables.empty()) {
    CollectParts(body, article, &parts);
  } else {
    parts.push_back(article);
  }
  if (parts.size() > 1) {
    absl::StrAppend(&how, ", plus ", parts.size() - 1,
                    " report table(s) outside it");
  }
  AddDiagnostic(&result, SEVERITY_INFO, "format.html.article",
                absl::StrCat("article text taken from ", how));
  size_t budget = limits.max_table_cells;
  Renderer renderer(&budget);
  for (const GumboNode* part : parts) {
    absl::Status s = renderer.Render(part);
    if (!s.ok()) return s;
  }
  result.text = renderer.Finish();
  if (!title.empty() && !absl::StartsWith(result.text, title)) {
    result.text = absl::StrCat(title, "\n", result.text);
  }
  AddDiagnostic(&result, SEVERITY_INFO, "format.tables",
                absl::StrCat(renderer.tables(), " table(s) rebuilt as grids"));
  return result;
}

}  // namespace gongkai
