// The parse cache's key scheme. A parsed report is stored under
//   gongkai:parse:v<kParseCacheSchema>:<sha256 of the document bytes>
// and, when the caller stated hints that can change the result (media type,
// region code, year), under that key plus ":" and the first 16 hex digits of
// the SHA-256 of the hints. The caller's file name is not part of the key
// (the service sets AnnualReport.source_name after a hit).
//
// The value is the serialized gongkai.v1.AnnualReport. Bump
// kParseCacheSchema whenever the cached value's meaning changes (the
// parser's output for the same bytes, or the AnnualReport schema), so old
// entries are never read again.
//
// Thread-safety: pure function.
#ifndef GONGKAI_COMMON_CACHE_PARSE_CACHE_KEY_H_
#define GONGKAI_COMMON_CACHE_PARSE_CACHE_KEY_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace gongkai {

inline constexpr int kParseCacheSchema = 1;

// `content_sha256` is Sha256Hex(document bytes).
std::string ParseCacheKey(absl::string_view content_sha256,
                          absl::string_view media_type,
                          absl::string_view region_code, int32_t year);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_CACHE_PARSE_CACHE_KEY_H_
