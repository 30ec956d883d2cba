#include "common/server/server_runtime.h"

#include <openssl/crypto.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/server/status.h"
#include "common/util/sha256.h"

namespace gongkai {

ServerRuntime::ServerRuntime(const ServerOptions& options, Metrics* metrics,
                             std::vector<std::string> bearer_tokens)
    : options_(options),
      metrics_(metrics),
      tokens_(std::move(bearer_tokens)),
      access_log_level_(spdlog::level::from_str(options.log_level)) {
  if (access_log_level_ == spdlog::level::off && options.log_level != "off") {
    access_log_level_ = spdlog::level::info;
  }
  metrics_->AddCollector([this](std::string* out) {
    absl::StrAppend(out,
                    "# HELP gongkai_rpc_in_flight RPCs being handled now.\n"
                    "# TYPE gongkai_rpc_in_flight gauge\n"
                    "gongkai_rpc_in_flight ",
                    in_flight_.load(), "\n");
  });
}

bool ServerRuntime::Authorized(const grpc::ServerContextBase& context) const {
  if (tokens_.empty()) return true;
  const auto& metadata = context.client_metadata();
  auto found = metadata.find("authorization");
  if (found == metadata.end()) return false;
  absl::string_view value(found->second.data(), found->second.size());
  if (!absl::StartsWith(value, "Bearer ")) return false;
  // Compare digests so neither the length nor the content leaks by timing.
  const std::string offered = Sha256Hex(value.substr(7));
  bool ok = false;
  for (const std::string& token : tokens_) {
    const std::string expected = Sha256Hex(token);
    ok |= CRYPTO_memcmp(offered.data(), expected.data(), offered.size()) == 0;
  }
  return ok;
}

namespace {

// Non-empty, whitespace-stripped pieces of `text` split at any of `separators`.
std::vector<std::string> SplitTokens(absl::string_view text, const char* separators) {
  std::vector<std::string> tokens;
  for (absl::string_view piece : absl::StrSplit(text, absl::ByAnyChar(separators))) {
    piece = absl::StripAsciiWhitespace(piece);
    if (!piece.empty()) tokens.emplace_back(piece);
  }
  return tokens;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read token file ", path));
  std::ostringstream contents;
  contents << in.rdbuf();
  std::vector<std::string> tokens = SplitTokens(contents.str(), "\n");
  if (tokens.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("token file ", path, " has no token"));
  }
  return tokens;
}

absl::StatusOr<std::vector<std::string>> LoadBearerTokens(const std::string& token_file,
                                                          const char* env_value) {
  if (!token_file.empty()) return ReadTokenFile(token_file);
  if (env_value == nullptr) return std::vector<std::string>();
  std::vector<std::string> tokens = SplitTokens(env_value, ",\n");
  if (tokens.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("$", kAuthTokensEnv, " is set but holds no token"));
  }
  return tokens;
}

RpcScope::RpcScope(ServerRuntime* runtime, absl::string_view method,
                   grpc::ServerContextBase* context)
    : runtime_(runtime), method_(method), context_(context), start_(absl::Now()) {
  if (!runtime_->Authorized(*context_)) {
    admission_ = absl::UnauthenticatedError(
        "missing or wrong bearer token (metadata \"authorization: Bearer <token>\")");
    return;
  }
  const int now_in_flight = runtime_->in_flight_.fetch_add(1) + 1;
  counted_ = true;
  if (now_in_flight > runtime_->options().max_in_flight) {
    admission_ = absl::ResourceExhaustedError(
        absl::StrCat("server busy: ", runtime_->options().max_in_flight,
                     " calls already in flight (--max_in_flight); retry later"));
    return;
  }
  admission_ = CheckAlive();
}

RpcScope::~RpcScope() {
  if (!finished_) Finish(absl::InternalError("handler returned without a status"));
}

absl::Status RpcScope::CheckAlive() const {
  if (context_->IsCancelled()) {
    return absl::CancelledError("call cancelled by the client or its deadline passed");
  }
  return CheckDeadline();
}

absl::Status RpcScope::CheckDeadline() const {
  if (std::chrono::system_clock::now() > context_->deadline()) {
    return absl::DeadlineExceededError("deadline passed before the work finished");
  }
  return absl::OkStatus();
}

grpc::Status RpcScope::Finish(const absl::Status& status) {
  finished_ = true;
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
  const char* code = StatusCodeName(status.code());
  runtime_->metrics().ObserveRpc(method_, code, seconds);
  LogFields line;
  line.Str("method", method_).Str("code", code).Double("latency_ms", seconds * 1000);
  if (!cache_.empty()) line.Str("cache", cache_);
  if (!status.ok()) line.Str("error", status.message());
  line.Merge(fields_);
  spdlog::level::level_enum level =
      status.ok() ? spdlog::level::info
      : status.code() == absl::StatusCode::kInternal ||
              status.code() == absl::StatusCode::kUnknown
          ? spdlog::level::err
          : spdlog::level::warn;
  if (level >= runtime_->access_log_level()) LogJson(level, "rpc", line);
  if (counted_) {
    counted_ = false;
    runtime_->in_flight_.fetch_sub(1);  // last touch of runtime_
  }
  return ToGrpcStatus(status);
}

}  // namespace gongkai
