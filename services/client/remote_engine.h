// RemoteEngine: the Engine that calls the gongkai gRPC services, for the
// CLI's --endpoint mode. Parse goes to ParseService, Validate to
// ValidateService and Aggregate to AggregateService, all at one endpoint
// unless the per-service endpoints are given.
//
// Errors: gRPC status codes mapped one-to-one onto absl::Status codes, with
// the server's message.
// Thread-safety: safe to call concurrently (gRPC channels are).
#ifndef GONGKAI_SERVICES_CLIENT_REMOTE_ENGINE_H_
#define GONGKAI_SERVICES_CLIENT_REMOTE_ENGINE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/engine/engine.h"

namespace gongkai {

struct RemoteEngineOptions {
  // host:port (or any gRPC target) of the services (--endpoint). Empty = not
  // remote unless a per-service endpoint is set.
  std::string endpoint;
  // Per-service targets (--parse_endpoint, --validate_endpoint,
  // --aggregate_endpoint); empty = `endpoint`.
  std::string parse_endpoint;
  std::string validate_endpoint;
  std::string aggregate_endpoint;
  // Per-call deadline in milliseconds. Default: 60,000.
  int deadline_ms = 60000;
  // TLS (--tls_ca, --tls_cert, --tls_key): any of them turns TLS on; tls_ca
  // verifies the server (empty = system roots); cert+key are the client's
  // certificate for mutual TLS. Default: plaintext.
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  // Bearer token: the first token of this file (--token_file, one per
  // line); when empty, $GONGKAI_TOKEN if set. There is deliberately no flag
  // taking the token itself (it would show in the process list).
  std::string token_file;
};

// The environment variable the CLI reads its bearer token from when no
// --token_file is given.
inline constexpr char kClientTokenEnv[] = "GONGKAI_TOKEN";

// True when `options` names any endpoint (the CLI then uses NewRemoteEngine).
bool IsRemote(const RemoteEngineOptions& options);

// If args[i] is one of the remote engine's flags (--endpoint HOST:PORT or
// --endpoint=HOST:PORT, --parse_endpoint, --validate_endpoint,
// --aggregate_endpoint, --deadline_ms, --tls_ca, --tls_cert, --tls_key,
// --token_file), stores it in
// `options` and returns how many words it used (1 or 2); returns 0 when
// args[i] is not such a flag and -1 when its value is missing.
int ConsumeRemoteEngineFlag(const std::vector<std::string>& args, size_t i,
                            RemoteEngineOptions* options);

// Connects (lazily) to the services. Errors: INVALID_ARGUMENT for a bad
// endpoint or TLS material, --tls_cert without --tls_key (or the reverse),
// or a token file / $GONGKAI_TOKEN without a token; NOT_FOUND for an
// unreadable token file.
absl::StatusOr<std::unique_ptr<Engine>> NewRemoteEngine(
    const RemoteEngineOptions& options);

}  // namespace gongkai

#endif  // GONGKAI_SERVICES_CLIENT_REMOTE_ENGINE_H_
