// libFuzzer target: the DOCX reader's XML and table-grid logic. The bytes
// are word/document.xml; they are zipped (with a fixed [Content_Types].xml)
// before ExtractText, so mutations reach the WordprocessingML reader instead
// of dying on the zip's CRCs (fuzz_docx covers the zip layer). Result: text
// (valid UTF-8) or a precise error; no crash, no hang.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "common/formats/extract.h"
#include "common/parse/decode.h"
#include "tests/formats/sample_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char kContentTypes[] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\""
      "http://schemas.openxmlformats.org/package/2006/content-types\"><Default "
      "Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\""
      "/word/document.xml\" ContentType=\"application/vnd.openxmlformats-"
      "officedocument.wordprocessingml.document.main+xml\"/></Types>";
  absl::StatusOr<std::string> zip = gongkai::testing::WriteZip(
      {{"[Content_Types].xml", kContentTypes},
       {"word/document.xml", std::string(reinterpret_cast<const char*>(data), size)}});
  if (!zip.ok()) return 0;
  absl::StatusOr<gongkai::ExtractedText> text =
      gongkai::ExtractText(*zip, gongkai::Container::kDocx, gongkai::FormatLimits());
  if (text.ok() && !gongkai::IsValidUtf8(text->text)) {
    std::fprintf(stderr, "fuzz_docx_xml: ExtractText returned invalid UTF-8\n");
    std::abort();
  }
  return 0;
}
