#include "common/server/server_options.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, host, "0.0.0.0", "Address to listen on.");
ABSL_FLAG(int, port, 0, "gRPC port; 0 = pick a free one (logged as \"listening\").");
ABSL_FLAG(int, metrics_port, -1,
          "Prometheus /metrics port; 0 = pick a free one, -1 = none.");
ABSL_FLAG(std::string, redis, "", "Redis host:port for the parse cache; empty = LRU only.");
ABSL_FLAG(std::string, redis_user, "", "Redis ACL user (AUTH user password).");
ABSL_FLAG(std::string, redis_password, "",
          "Redis password; defaults to $GONGKAI_REDIS_PASSWORD.");
ABSL_FLAG(int, redis_timeout_ms, 50, "Redis command timeout (connect: 4x).");
ABSL_FLAG(int64_t, lru_max_entries, 10000, "In-process cache: most entries.");
ABSL_FLAG(int64_t, lru_max_bytes, 128 << 20, "In-process cache: most bytes.");
ABSL_FLAG(int, cache_ttl_seconds, 7 * 24 * 3600, "TTL of cached parses.");
ABSL_FLAG(std::string, parse_targets, "",
          "Aggregate: parse replicas, host:port,host:port or one gRPC target (dns:///…).");
ABSL_FLAG(std::string, validate_targets, "",
          "Aggregate: validate replicas, as --parse_targets.");
ABSL_FLAG(int, aggregate_concurrency, 16, "Aggregate: documents in flight per call.");
ABSL_FLAG(int, max_batch_items, 10000, "Aggregate: most documents+reports per call.");
ABSL_FLAG(int, max_message_bytes, 64 << 20, "Largest gRPC message received or sent.");
ABSL_FLAG(int64_t, max_document_bytes, 32 << 20, "Largest document the parser accepts.");
ABSL_FLAG(int, max_in_flight, 256, "RPCs at once; more get RESOURCE_EXHAUSTED.");
ABSL_FLAG(double, drain_seconds, 5, "On SIGTERM: NOT_SERVING for this long, still serving.");
ABSL_FLAG(double, shutdown_grace_seconds, 10, "Then wait this long for calls in flight.");
ABSL_FLAG(double, max_connection_age_seconds, 300,
          "GOAWAY connections older than this so clients re-resolve (new replicas get load); "
          "0 = never.");
ABSL_FLAG(double, max_connection_age_grace_seconds, 3600,
          "Calls on an aged connection may run this long before being cancelled.");
ABSL_FLAG(std::string, log_level, "info",
          "Access log: info (every call) | warn (failed calls) | error | off.");
ABSL_FLAG(std::string, tls_cert, "", "Server certificate chain (PEM).");
ABSL_FLAG(std::string, tls_key, "", "Server private key (PEM).");
ABSL_FLAG(std::string, tls_ca, "", "CA bundle (PEM) for peers.");
ABSL_FLAG(bool, tls_require_client_cert, false, "Mutual TLS.");
ABSL_FLAG(std::string, auth_token_file, "", "Accepted bearer tokens, one per line; default $GONGKAI_AUTH_TOKENS "
          "(comma/newline separated); the file wins over the variable.");

namespace gongkai {

absl::StatusOr<ServerOptions> ServerOptionsFromFlags() {
  ServerOptions o;
  o.host = absl::GetFlag(FLAGS_host);
  o.port = absl::GetFlag(FLAGS_port);
  o.metrics_port = absl::GetFlag(FLAGS_metrics_port);
  o.redis = absl::GetFlag(FLAGS_redis);
  o.redis_user = absl::GetFlag(FLAGS_redis_user);
  o.redis_password = absl::GetFlag(FLAGS_redis_password);
  if (o.redis_password.empty()) {
    if (const char* env = std::getenv("GONGKAI_REDIS_PASSWORD")) o.redis_password = env;
  }
  o.redis_timeout_ms = absl::GetFlag(FLAGS_redis_timeout_ms);
  o.lru_max_entries = static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_lru_max_entries)));
  o.lru_max_bytes = static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_lru_max_bytes)));
  o.cache_ttl_seconds = absl::GetFlag(FLAGS_cache_ttl_seconds);
  o.parse_targets = absl::GetFlag(FLAGS_parse_targets);
  o.validate_targets = absl::GetFlag(FLAGS_validate_targets);
  o.aggregate_concurrency = absl::GetFlag(FLAGS_aggregate_concurrency);
  o.max_batch_items = absl::GetFlag(FLAGS_max_batch_items);
  o.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  o.max_document_bytes = static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_max_document_bytes)));
  o.max_in_flight = absl::GetFlag(FLAGS_max_in_flight);
  o.drain_seconds = absl::GetFlag(FLAGS_drain_seconds);
  o.shutdown_grace_seconds = absl::GetFlag(FLAGS_shutdown_grace_seconds);
  o.max_connection_age_seconds = absl::GetFlag(FLAGS_max_connection_age_seconds);
  o.max_connection_age_grace_seconds = absl::GetFlag(FLAGS_max_connection_age_grace_seconds);
  o.log_level = absl::GetFlag(FLAGS_log_level);
  o.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  o.tls_key = absl::GetFlag(FLAGS_tls_key);
  o.tls_ca = absl::GetFlag(FLAGS_tls_ca);
  o.tls_require_client_cert = absl::GetFlag(FLAGS_tls_require_client_cert);
  o.auth_token_file = absl::GetFlag(FLAGS_auth_token_file);

  if (o.port < 0 || o.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("--port must be 0..65535, got ", o.port));
  }
  if (o.metrics_port < -1 || o.metrics_port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--metrics_port must be -1..65535, got ", o.metrics_port));
  }
  if (o.max_message_bytes <= 0 || o.max_in_flight <= 0 || o.aggregate_concurrency <= 0 ||
      o.max_batch_items <= 0 || o.redis_timeout_ms <= 0) {
    return absl::InvalidArgumentError(
        "--max_message_bytes, --max_in_flight, --aggregate_concurrency, "
        "--max_batch_items and --redis_timeout_ms must be positive");
  }
  if (o.drain_seconds < 0 || o.shutdown_grace_seconds < 0) {
    return absl::InvalidArgumentError("--drain_seconds and --shutdown_grace_seconds must be >= 0");
  }
  if (!(o.max_connection_age_seconds >= 0 && o.max_connection_age_seconds <= 2e6) ||
      !(o.max_connection_age_grace_seconds >= 0 && o.max_connection_age_grace_seconds <= 2e6)) {
    return absl::InvalidArgumentError(
        "--max_connection_age_seconds and --max_connection_age_grace_seconds must be "
        "0..2000000");
  }
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  if (o.tls_require_client_cert && o.tls_ca.empty()) {
    return absl::InvalidArgumentError("--tls_require_client_cert needs --tls_ca");
  }
  return o;
}

}  // namespace gongkai
