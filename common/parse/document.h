// Document: the bytes of one report as a caller hands them over, before any
// decoding. Shared by the parser, the format readers, the CLI and the
// services.
#ifndef GONGKAI_COMMON_PARSE_DOCUMENT_H_
#define GONGKAI_COMMON_PARSE_DOCUMENT_H_

#include <cstdint>
#include <string>

namespace gongkai {

struct Document {
  // The raw bytes (text in any supported encoding, HTML, PDF, DOCX).
  std::string bytes;
  // File name or caller's id, for messages and outcomes; may be empty.
  std::string name;
  // Caller's media type hint ("text/plain", "text/html", "application/pdf",
  // …); a tie-breaker only, the bytes decide. May be empty.
  std::string media_type;
  // Caller-stated region code (GB/T 2260) and year; empty/0 = detect.
  std::string region_code;
  int32_t year = 0;
  // Lower-case hex SHA-256 of `bytes` when the caller has already computed
  // it (the parse server does, for its cache key); the parser then copies it
  // into AnnualReport.content_sha256 instead of hashing again. Empty (the
  // default) = the parser hashes. It must be the digest of `bytes`.
  std::string content_sha256;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_PARSE_DOCUMENT_H_
