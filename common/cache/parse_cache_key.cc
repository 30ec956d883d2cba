#include "common/cache/parse_cache_key.h"

#include "absl/strings/str_cat.h"
#include "common/util/sha256.h"

namespace gongkai {

std::string ParseCacheKey(absl::string_view content_sha256,
                          absl::string_view media_type,
                          absl::string_view region_code, int32_t year) {
  std::string key = absl::StrCat("gongkai:parse:v", kParseCacheSchema, ":", content_sha256);
  if (!media_type.empty() || !region_code.empty() || year != 0) {
    // NUL-separated so ("ab","c") and ("a","bc") differ.
    const std::string hints = absl::StrCat(media_type, std::string(1, '\0'),
                                           region_code, std::string(1, '\0'), year);
    absl::StrAppend(&key, ":", Sha256Hex(hints).substr(0, 16));
  }
  return key;
}

}  // namespace gongkai
