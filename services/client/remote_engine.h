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
  // host:port (or any gRPC target) of the services. Empty = not remote.
  std::string endpoint;
  // Per-call deadline in milliseconds. Default: 60,000.
  int deadline_ms = 60000;
};

// If args[i] is one of the remote engine's flags (--endpoint HOST:PORT or
// --endpoint=HOST:PORT, and the other connection flags), stores it in
// `options` and returns how many words it used (1 or 2); returns 0 when
// args[i] is not such a flag and -1 when its value is missing.
int ConsumeRemoteEngineFlag(const std::vector<std::string>& args, size_t i,
                            RemoteEngineOptions* options);

// Connects (lazily) to the services. Errors: INVALID_ARGUMENT for a bad
// endpoint or TLS material.
absl::StatusOr<std::unique_ptr<Engine>> NewRemoteEngine(
    const RemoteEngineOptions& options);

}  // namespace gongkai

#endif  // GONGKAI_SERVICES_CLIENT_REMOTE_ENGINE_H_
