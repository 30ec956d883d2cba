// Container detection: magic numbers first, markup sniffing second, the
// caller's media type and file name only as tie-breakers.
#include <algorithm>
#include <cctype>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "common/formats/extract.h"
#include "common/parse/decode.h"

namespace gongkai {
namespace {

bool StartsWithBytes(absl::string_view bytes, absl::string_view magic) {
  return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

// True when a zip archive names the OOXML word part. Local file headers store
// the member name uncompressed, so a bounded byte search is enough here; the
// reader validates the archive properly.
bool ZipLooksLikeDocx(absl::string_view bytes) {
  return absl::StrContains(bytes, "word/document.xml") ||
         (absl::StrContains(bytes, "[Content_Types].xml") &&
          absl::StrContains(bytes, "word/"));
}

// Skips a UTF-8 BOM and leading whitespace.
absl::string_view SkipLeading(absl::string_view bytes) {
  if (StartsWithBytes(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  while (!bytes.empty() &&
         absl::ascii_isspace(static_cast<unsigned char>(bytes.front()))) {
    bytes.remove_prefix(1);
  }
  return bytes;
}

// Markup sniffing on the first few KiB, case-insensitively.
bool LooksLikeHtml(absl::string_view bytes) {
  absl::string_view head = SkipLeading(bytes.substr(0, 4096));
  // Every test below needs a leading '<': plain text is not lower-cased.
  if (head.empty() || head.front() != '<') return false;
  std::string lower = absl::AsciiStrToLower(head);
  if (absl::StartsWith(lower, "<!doctype html") ||
      absl::StartsWith(lower, "<html")) {
    return true;
  }
  if (absl::StartsWith(lower, "<?xml") &&
      absl::StrContains(lower, "<html")) {
    return true;
  }
  // Fragments: leading comment or a structural tag, and a table/body tag.
  static constexpr absl::string_view kStrongTags[] = {
      "<html", "<head", "<body", "<table", "<meta ", "<title", "<div",
      "<!--"};
  if (!lower.empty() && lower.front() == '<') {
    for (absl::string_view tag : kStrongTags) {
      if (absl::StartsWith(lower, tag)) return true;
    }
  }
  return false;
}

// Markup somewhere in the head (not at the start): decided by the hint.
bool ContainsMarkup(absl::string_view bytes) {
  std::string lower = absl::AsciiStrToLower(bytes.substr(0, 4096));
  return absl::StrContains(lower, "<table") ||
         absl::StrContains(lower, "<html") || absl::StrContains(lower, "<p>") ||
         absl::StrContains(lower, "<div");
}

bool LooksBinary(absl::string_view bytes) {
  absl::string_view head = bytes.substr(0, 4096);
  // UTF-16 text has NULs, so a BOM means text.
  if (StartsWithBytes(head, "\xFF\xFE") || StartsWithBytes(head, "\xFE\xFF")) {
    return false;
  }
  // The parser's own binary rule (a NUL, or over 1% controls over the whole
  // input) is checked while it normalises; this head test only decides the
  // container, eight bytes at a time.
  size_t first_nul;
  const size_t controls = CountBinaryControls(head, &first_nul);
  if (first_nul != absl::string_view::npos) return true;
  return !head.empty() && controls * 10 > head.size();
}

bool HintSaysHtml(absl::string_view media_type, absl::string_view file_name) {
  std::string mt = absl::AsciiStrToLower(media_type);
  std::string fn = absl::AsciiStrToLower(file_name);
  return absl::StartsWith(mt, "text/html") ||
         absl::StartsWith(mt, "application/xhtml") ||
         absl::EndsWith(fn, ".html") || absl::EndsWith(fn, ".htm") ||
         absl::EndsWith(fn, ".xhtml");
}

bool HintSaysText(absl::string_view media_type, absl::string_view file_name) {
  std::string mt = absl::AsciiStrToLower(media_type);
  std::string fn = absl::AsciiStrToLower(file_name);
  return absl::StartsWith(mt, "text/plain") || absl::EndsWith(fn, ".txt") ||
         absl::EndsWith(fn, ".tsv") || absl::EndsWith(fn, ".csv");
}

}  // namespace

absl::string_view ContainerName(Container container) {
  switch (container) {
    case Container::kText:
      return "text";
    case Container::kHtml:
      return "html";
    case Container::kPdf:
      return "pdf";
    case Container::kDocx:
      return "docx";
    case Container::kLegacyDoc:
      return "doc";
    case Container::kUnknownBinary:
      return "binary";
  }
  return "binary";
}

Container DetectContainer(absl::string_view bytes, absl::string_view media_type,
                          absl::string_view file_name) {
  // %PDF- may follow a little junk (the PDF spec allows it in the first KiB).
  if (StartsWithBytes(bytes, "%PDF-") ||
      bytes.substr(0, 1024).find("%PDF-") != absl::string_view::npos) {
    return Container::kPdf;
  }
  if (StartsWithBytes(bytes, "PK\x03\x04")) {
    return ZipLooksLikeDocx(bytes) ? Container::kDocx
                                   : Container::kUnknownBinary;
  }
  if (StartsWithBytes(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") ||
      StartsWithBytes(bytes, "\xD0\xCF\x11\xE0")) {
    return Container::kLegacyDoc;
  }
  if (LooksBinary(bytes)) return Container::kUnknownBinary;
  if (LooksLikeHtml(bytes)) {
    // Text that merely starts with "<" but is declared plain text stays text
    // unless it is unmistakably a document.
    if (HintSaysText(media_type, file_name)) {
      std::string lower = absl::AsciiStrToLower(
          SkipLeading(bytes.substr(0, 4096)));
      if (!absl::StartsWith(lower, "<!doctype html") &&
          !absl::StartsWith(lower, "<html")) {
        return Container::kText;
      }
    }
    return Container::kHtml;
  }
  if (HintSaysHtml(media_type, file_name) && ContainsMarkup(bytes)) {
    return Container::kHtml;
  }
  return Container::kText;
}

}  // namespace gongkai
