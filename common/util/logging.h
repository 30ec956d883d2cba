// One-line JSON logs for the services, on spdlog. Every line is a JSON
// object: {"ts":"…","level":"info","msg":"…", <fields>}. Callers add fields
// with LogFields; values are escaped here. Never log document text or
// tokens: the helpers take only what the caller passes.
//
// Thread-safety: all functions are safe to call concurrently, also with
// SetupJsonLogging() or spdlog::set_default_logger() replacing the logger.
#ifndef GONGKAI_COMMON_UTIL_LOGGING_H_
#define GONGKAI_COMMON_UTIL_LOGGING_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "spdlog/spdlog.h"

namespace gongkai {

// Makes the default spdlog logger write one JSON object per line to stderr,
// flushed at every line (so a supervisor or test reads it at once).
// `level` is "trace", "debug", "info", "warn", "error" or "off"; an unknown
// name means "info". `service` is added to every line as "service".
void SetupJsonLogging(absl::string_view service, absl::string_view level);

// `s` as a JSON string literal, quotes included (UTF-8 passed through,
// control characters and invalid bytes escaped as \uXXXX / U+FFFD).
std::string JsonQuote(absl::string_view s);

// Builds the fields part of a log line: LogFields().Str("method", m).Int(…).
class LogFields {
 public:
  LogFields& Str(absl::string_view key, absl::string_view value);
  LogFields& Int(absl::string_view key, int64_t value);
  LogFields& Double(absl::string_view key, double value);
  LogFields& Bool(absl::string_view key, bool value);
  // Appends `other`'s fields after these.
  LogFields& Merge(const LogFields& other);
  const std::string& str() const { return fields_; }

 private:
  void Key(absl::string_view key);
  std::string fields_;
};

// Logs `msg` with `fields` at `level`.
void LogJson(spdlog::level::level_enum level, absl::string_view msg,
             const LogFields& fields = LogFields());

}  // namespace gongkai

#endif  // GONGKAI_COMMON_UTIL_LOGGING_H_
