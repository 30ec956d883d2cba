// Client channels to gongkai services, shared by the aggregate server (to
// reach parse/validate replicas) and RemoteEngine (the CLI's --endpoint).
//
// A channel balances round_robin over every address of its target, checks
// each backend with grpc.health.v1 (a draining replica stops getting calls)
// and retries calls that end UNAVAILABLE (backend gone) or CANCELLED (a
// shutting-down server drops calls it had not started) on another backend
// (service config below), so a replica going away loses no work. gongkai.v1
// methods have no side effects, so a retry is always safe.
//
// Thread-safety: channels are safe to share.
#ifndef GONGKAI_COMMON_SERVER_CHANNELS_H_
#define GONGKAI_COMMON_SERVER_CHANNELS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace gongkai {

struct ChannelOptions {
  // Largest message sent or received. Default 64 MiB.
  int max_message_bytes = 64 << 20;
  // Attempts per call (first try included) on UNAVAILABLE/CANCELLED; gRPC
  // caps it at 5. Default 5.
  int max_attempts = 5;
  // TLS: use it when `tls` or any file is set; `tls_ca` verifies the server
  // (empty = system roots); cert/key are the client's (mutual TLS).
  bool tls = false;
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  // Sent as "authorization: Bearer <token>" by AddCallCredentials.
  std::string bearer_token;
};

// The gRPC target for `targets`: "h1:p1,h2:p2" becomes a static
// "ipv4:"/"ipv6:" address list (host names resolved once, now); a single
// host:port or any URI-style target ("dns:///svc:50051") is used as is.
// Errors: INVALID_ARGUMENT for an empty list, a missing port or an
// unresolvable host.
absl::StatusOr<std::string> ChannelTarget(absl::string_view targets);

// The service config JSON used by NewServiceChannel (round_robin, health
// checking, retry on UNAVAILABLE and CANCELLED for every gongkai.v1 service).
std::string ServiceConfigJson(int max_attempts);

// Errors: as ChannelTarget; INVALID_ARGUMENT for unreadable TLS files.
absl::StatusOr<std::shared_ptr<grpc::Channel>> NewServiceChannel(
    absl::string_view targets, const ChannelOptions& options);

// Adds the bearer token metadata to `context` when `options` has one.
void AddCallCredentials(const ChannelOptions& options, grpc::ClientContext* context);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_CHANNELS_H_
