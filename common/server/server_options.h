// ServerOptions: everything the three gongkai servers are configured with,
// and the command-line flags that fill it (absl flags, one --name per field;
// `gongkai-*-server --help` lists them with these defaults).
//
// Thread-safety: plain data.
#ifndef GONGKAI_COMMON_SERVER_SERVER_OPTIONS_H_
#define GONGKAI_COMMON_SERVER_SERVER_OPTIONS_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace gongkai {

struct ServerOptions {
  // Address to listen on. Default "0.0.0.0".
  std::string host = "0.0.0.0";
  // gRPC port; 0 = pick a free one (logged as {"msg":"listening","port":N}).
  int port = 0;
  // Prometheus /metrics port; 0 = pick a free one, -1 = no metrics listener.
  // Default -1.
  int metrics_port = -1;

  // Redis for the parse cache, "host:port"; empty = in-process LRU only.
  std::string redis;
  // Redis AUTH; --redis_password falls back to $GONGKAI_REDIS_PASSWORD so
  // it need not appear in the process list.
  std::string redis_user;
  std::string redis_password;
  // Redis command timeout in ms (connect timeout is 4x). Default 50.
  int redis_timeout_ms = 50;
  // In-process LRU bounds. Defaults 10,000 entries / 128 MiB, the values
  // deploy/k8s/base/parse/flags.env sets: the cache plus the server's own
  // ~90 MB stay under 300 MB of RSS.
  size_t lru_max_entries = 10000;
  size_t lru_max_bytes = 128u << 20;
  // TTL of cached parses (LRU and Redis), seconds. Default 7 days.
  int cache_ttl_seconds = 7 * 24 * 3600;

  // Aggregate server: the parse and validate replicas, as a comma-separated
  // list of host:port or one gRPC target (e.g. dns:///parse.ns.svc:50051).
  std::string parse_targets;
  std::string validate_targets;
  // Aggregate server: documents parsed/validated concurrently per call.
  // Default 16.
  int aggregate_concurrency = 16;
  // Aggregate server: most documents + reports in one call. Default 10,000.
  int max_batch_items = 10000;

  // Largest gRPC message received or sent. Default 64 MiB.
  int max_message_bytes = 64 << 20;
  // Largest document the parser accepts. Default 32 MiB.
  size_t max_document_bytes = 32u << 20;
  // RPCs handled at once; more answer RESOURCE_EXHAUSTED. Default 256.
  int max_in_flight = 256;
  // On SIGTERM/SIGINT: report NOT_SERVING for this long while still
  // serving, then stop accepting and wait up to shutdown_grace_seconds for
  // calls in flight. Defaults 5 and 10.
  double drain_seconds = 5;
  double shutdown_grace_seconds = 10;

  // Connections older than this get a GOAWAY (GRPC_ARG_MAX_CONNECTION_AGE_MS,
  // with +-10% jitter from gRPC), so clients re-resolve dns:/// targets and
  // spread onto replicas added since they connected; new calls go to a new
  // connection at once. Calls already on the old connection get
  // max_connection_age_grace_seconds to finish (then are cancelled; clients
  // retry CANCELLED). 0 = never. Defaults 300 and 3600 (the CLI's longest
  // Aggregate deadline).
  double max_connection_age_seconds = 300;
  double max_connection_age_grace_seconds = 3600;

  // Level of the per-call access log: "info" (every call), "warn" (failed
  // calls), "error" (internal errors), "off". Start-up, listening, draining
  // and stopped lines are always written. Default "info".
  std::string log_level = "info";

  // TLS: server certificate chain and key (PEM files); both or neither.
  std::string tls_cert;
  std::string tls_key;
  // CA bundle (PEM) for verifying clients (servers) and for the aggregate
  // server's channels to parse/validate.
  std::string tls_ca;
  // Mutual TLS: reject clients without a certificate signed by tls_ca.
  bool tls_require_client_cert = false;
  // File of accepted bearer tokens, one per line; when set, every RPC needs
  // "authorization: Bearer <token>" (health checks excepted). Without it the
  // tokens come from $GONGKAI_AUTH_TOKENS (comma/newline separated) when
  // set; the file wins when both are given (LoadBearerTokens in
  // server_runtime.h). The aggregate server sends the first token to
  // parse/validate.
  std::string auth_token_file;
};

// The options from the parsed command-line flags (call after
// absl::ParseCommandLine). Errors: INVALID_ARGUMENT for an out-of-range value.
absl::StatusOr<ServerOptions> ServerOptionsFromFlags();

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_SERVER_OPTIONS_H_
