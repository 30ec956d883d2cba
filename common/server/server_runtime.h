// ServerRuntime and RpcScope: what every gongkai RPC handler goes through.
// RpcScope admits a call (bearer token, in-flight cap, deadline already
// passed), and on Finish() converts the handler's absl::Status to a
// grpc::Status (the one place it happens), records the metrics and writes
// the one-line JSON access log (method, code, latency, cache outcome, extra
// fields the handler adds; never document text or tokens).
//
// Handler shape:
//   RpcScope scope(runtime, "Parse", context);
//   if (!scope.admitted()) return scope.Finish(scope.admission());
//   return scope.Finish(DoWork(...));
//
// Thread-safety: ServerRuntime is safe to share between handlers; one
// RpcScope per call.
#ifndef GONGKAI_COMMON_SERVER_SERVER_RUNTIME_H_
#define GONGKAI_COMMON_SERVER_SERVER_RUNTIME_H_

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/server/metrics.h"
#include "common/server/server_options.h"
#include "common/util/logging.h"
#include "grpcpp/server_context.h"

namespace gongkai {

class ServerRuntime {
 public:
  // `metrics` must outlive the runtime. Registers the in-flight gauge.
  // `bearer_tokens`: accepted tokens; empty = no authentication.
  ServerRuntime(const ServerOptions& options, Metrics* metrics,
                std::vector<std::string> bearer_tokens = {});

  const ServerOptions& options() const { return options_; }
  Metrics& metrics() { return *metrics_; }
  // Calls admitted and not yet finished (RpcScope::Finish). Zero read here
  // after the server has shut down orders every finished call's metrics and
  // log writes before the reader (the count is released by Finish).
  int in_flight() const { return in_flight_.load(); }
  const std::vector<std::string>& bearer_tokens() const { return tokens_; }
  // Access-log lines below this level are not written (options.log_level).
  spdlog::level::level_enum access_log_level() const { return access_log_level_; }

 private:
  friend class RpcScope;
  // Checks the "authorization" metadata against the tokens in constant time.
  bool Authorized(const grpc::ServerContextBase& context) const;

  const ServerOptions options_;
  Metrics* metrics_;
  std::vector<std::string> tokens_;
  std::atomic<int> in_flight_{0};
  spdlog::level::level_enum access_log_level_;
};

// Reads bearer tokens, one per line (blank lines and surrounding spaces
// ignored). Errors: NOT_FOUND / INVALID_ARGUMENT (file unreadable or empty).
absl::StatusOr<std::vector<std::string>> ReadTokenFile(const std::string& path);

// The environment variable servers read bearer tokens from when
// --auth_token_file is not given.
inline constexpr char kAuthTokensEnv[] = "GONGKAI_AUTH_TOKENS";

// The accepted bearer tokens. Precedence: `token_file` when non-empty (the
// environment is then ignored); otherwise `env_value` (the value of
// $GONGKAI_AUTH_TOKENS, nullptr when unset), tokens separated by commas
// and/or newlines, surrounding spaces ignored; neither = no tokens (no
// authentication). Errors: as ReadTokenFile; INVALID_ARGUMENT when the
// variable is set but holds no token (a start-up error rather than
// silently running without authentication).
absl::StatusOr<std::vector<std::string>> LoadBearerTokens(const std::string& token_file,
                                                          const char* env_value);

class RpcScope {
 public:
  RpcScope(ServerRuntime* runtime, absl::string_view method,
           grpc::ServerContextBase* context);
  ~RpcScope();
  RpcScope(const RpcScope&) = delete;
  RpcScope& operator=(const RpcScope&) = delete;

  // OK when the call may proceed; otherwise UNAUTHENTICATED,
  // RESOURCE_EXHAUSTED (in-flight cap) or DEADLINE_EXCEEDED.
  bool admitted() const { return admission_.ok(); }
  const absl::Status& admission() const { return admission_; }

  // DEADLINE_EXCEEDED (or CANCELLED) once the caller's deadline has passed
  // or the call was cancelled; OK otherwise. Handlers check it between steps.
  absl::Status CheckAlive() const;
  // CheckAlive's deadline half only: no question to gRPC, whose IsCancelled
  // polls the call's completion queue on the synchronous API (7.5% of the
  // aggregate server's CPU when it was asked once per input).
  absl::Status CheckDeadline() const;
  // The caller's deadline (time_point::max() when none).
  std::chrono::system_clock::time_point deadline() const { return context_->deadline(); }

  // "hit", "miss", "error", "bypass"; logged as "cache".
  void set_cache(absl::string_view outcome) { cache_ = std::string(outcome); }
  // Extra access-log fields (sizes, counts; never content).
  LogFields& fields() { return fields_; }

  // Records metrics and the access log, leaves the in-flight count, and
  // returns `status` as a grpc::Status. It is the scope's last use of the
  // runtime: a callback handler may hand the result to its reactor and the
  // server may then shut down and destroy the runtime.
  grpc::Status Finish(const absl::Status& status);

 private:
  ServerRuntime* runtime_;
  std::string method_;
  grpc::ServerContextBase* context_;
  absl::Time start_;
  absl::Status admission_;
  bool counted_ = false;
  bool finished_ = false;
  std::string cache_;
  LogFields fields_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_SERVER_RUNTIME_H_
