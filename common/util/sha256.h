// SHA-256 of a byte string, as lower-case hex (OpenSSL's EVP interface).
// Used for content-addressed cache keys and AnnualReport.content_sha256.
//
// Thread-safety: pure function.
#ifndef GONGKAI_COMMON_UTIL_SHA256_H_
#define GONGKAI_COMMON_UTIL_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gongkai {

// 64 lower-case hex digits.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_UTIL_SHA256_H_
