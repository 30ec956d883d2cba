#include "common/util/logging.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "spdlog/sinks/stdout_sinks.h"

namespace gongkai {

void SetupJsonLogging(absl::string_view service, absl::string_view level) {
  auto logger = std::make_shared<spdlog::logger>(
      std::string(service), std::make_shared<spdlog::sinks::stderr_sink_mt>());
  // %v is the message, which LogJson makes `"msg":"…",<fields>`.
  logger->set_pattern(absl::StrCat(
      R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","service":)",
      JsonQuote(service), ",%v}"),
      spdlog::pattern_time_type::utc);
  spdlog::level::level_enum parsed =
      spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") parsed = spdlog::level::info;
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

std::string JsonQuote(absl::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
      ++i;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else {
      // Copy a well-formed UTF-8 sequence; anything else becomes U+FFFD.
      int length = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
      bool valid = length > 0 && c < 0xf5 && i + length <= s.size();
      for (int k = 1; valid && k < length; ++k) {
        valid = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
      }
      if (valid) {
        out.append(s.data() + i, length);
        i += length;
      } else {
        out.append("\xef\xbf\xbd");
        ++i;
      }
    }
  }
  out.push_back('"');
  return out;
}

void LogFields::Key(absl::string_view key) {
  absl::StrAppend(&fields_, ",", JsonQuote(key), ":");
}

LogFields& LogFields::Str(absl::string_view key, absl::string_view value) {
  Key(key);
  fields_ += JsonQuote(value);
  return *this;
}

LogFields& LogFields::Int(absl::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&fields_, value);
  return *this;
}

LogFields& LogFields::Double(absl::string_view key, double value) {
  Key(key);
  absl::StrAppendFormat(&fields_, "%.3f", value);
  return *this;
}

LogFields& LogFields::Bool(absl::string_view key, bool value) {
  Key(key);
  fields_ += value ? "true" : "false";
  return *this;
}

LogFields& LogFields::Merge(const LogFields& other) {
  fields_ += other.fields_;
  return *this;
}

void LogJson(spdlog::level::level_enum level, absl::string_view msg,
             const LogFields& fields) {
  // A counted reference, not default_logger_raw(): the default logger may be
  // replaced (SetupJsonLogging, tests capturing logs) while RPC threads log.
  const std::shared_ptr<spdlog::logger> logger = spdlog::default_logger();
  if (!logger->should_log(level)) return;
  logger->log(level, "\"msg\":{}{}", JsonQuote(msg), fields.str());
}

}  // namespace gongkai
