// ReportParser: bytes of one annual report in, an AnnualReport out. This is
// the entry point of the core library: it detects the container (text, HTML,
// PDF, DOCX), decodes and normalises the text, finds the sections and tables,
// reads every cell (solving damaged layouts with the arithmetic rules), and
// fills the metadata.
//
// Errors (absl::Status codes):
//   INVALID_ARGUMENT   empty input, binary junk, undecodable text, an
//                      unsupported container (e.g. .doc), or bytes that are
//                      not an annual report (no table found); the message is
//                      one line saying which.
//   RESOURCE_EXHAUSTED input over ParserOptions::max_document_bytes or over a
//                      format reader's limits.
// A report whose arithmetic is broken is NOT an error: the printed numbers
// are kept and the validator reports the rule.
//
// Thread-safety: Parse() and ParseInto() are const and safe to call
// concurrently (with distinct `out` messages).
#ifndef GONGKAI_COMMON_PARSE_PARSER_H_
#define GONGKAI_COMMON_PARSE_PARSER_H_

#include <cstddef>
#include <memory>

#include "absl/status/statusor.h"
#include "common/parse/document.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

class RegionResolver;  // common/regions/resolver.h

struct ParserOptions {
  // Inputs larger than this are rejected with RESOURCE_EXHAUSTED.
  // Default: 32 MiB.
  size_t max_document_bytes = 32u << 20;
  // Keep AnnualReport.normalized_text and Section.text in the result.
  // Default: true (the JSON output and spans need it).
  bool keep_text = true;
};

class ReportParser {
 public:
  // `resolver` fills meta.region_code/province/city/county when given; it
  // must outlive the parser. nullptr leaves those fields as the caller stated
  // them (Document::region_code) or empty.
  explicit ReportParser(ParserOptions options = {},
                        const RegionResolver* resolver = nullptr);
  ~ReportParser();

  ReportParser(const ReportParser&) = delete;
  ReportParser& operator=(const ReportParser&) = delete;

  absl::StatusOr<gongkai::v1::AnnualReport> Parse(const Document& document) const;

  // Same as Parse(), writing into `*out` (Clear()ed first) so a caller that
  // parses many reports can reuse one message: protobuf keeps the cleared
  // repeated elements and string capacity, so steady-state parsing of
  // same-shaped reports allocates far less (the per-worker fast path; see
  // BENCHMARKS.md "Parser core"). `out` may live on an Arena. On success
  // `*out` equals what Parse() returns; on error the status is Parse()'s
  // and `*out` holds a partial report the caller must not use.
  absl::Status ParseInto(const Document& document,
                         gongkai::v1::AnnualReport* out) const;

  const ParserOptions& options() const { return options_; }

 private:
  ParserOptions options_;
  const RegionResolver* resolver_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_PARSE_PARSER_H_
