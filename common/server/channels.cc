#include "common/server/channels.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/server/grpc_server.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace gongkai {
namespace {

// host:port → "a.b.c.d:port" or "[v6]:port", resolving a name once.
absl::StatusOr<std::pair<bool, std::string>> ResolveOne(absl::string_view item) {
  const size_t colon = item.rfind(':');
  int port = 0;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(item.substr(colon + 1), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("target \"", item, "\" is not host:port"));
  }
  std::string host(item.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot resolve host \"", host, "\""));
  }
  char text[INET6_ADDRSTRLEN] = {0};
  bool v6 = found->ai_family == AF_INET6;
  if (v6) {
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(found->ai_addr)->sin6_addr, text,
              sizeof(text));
  } else {
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr, text,
              sizeof(text));
  }
  freeaddrinfo(found);
  return std::make_pair(v6, v6 ? absl::StrCat("[", text, "]:", port)
                               : absl::StrCat(text, ":", port));
}

}  // namespace

absl::StatusOr<std::string> ChannelTarget(absl::string_view targets) {
  std::vector<absl::string_view> items;
  for (absl::string_view item : absl::StrSplit(targets, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.push_back(item);
  }
  if (items.empty()) return absl::InvalidArgumentError("no target given");
  if (items.size() == 1) return std::string(items[0]);
  std::vector<std::string> v4;
  std::vector<std::string> v6;
  for (absl::string_view item : items) {
    if (absl::StrContains(item, "://") || absl::StartsWith(item, "dns:")) {
      return absl::InvalidArgumentError(
          absl::StrCat("a target list takes host:port items only, got \"", item, "\""));
    }
    auto resolved = ResolveOne(item);
    if (!resolved.ok()) return resolved.status();
    (resolved->first ? v6 : v4).push_back(resolved->second);
  }
  if (!v4.empty() && !v6.empty()) {
    return absl::InvalidArgumentError("a target list must be all IPv4 or all IPv6");
  }
  return v4.empty() ? absl::StrCat("ipv6:", absl::StrJoin(v6, ","))
                    : absl::StrCat("ipv4:", absl::StrJoin(v4, ","));
}

std::string ServiceConfigJson(int max_attempts) {
  return absl::StrCat(R"({
  "loadBalancingConfig": [{"round_robin": {}}],
  "healthCheckConfig": {"serviceName": ""},
  "methodConfig": [{
    "name": [{"service": "gongkai.v1.ParseService"},
             {"service": "gongkai.v1.ValidateService"},
             {"service": "gongkai.v1.AggregateService"}],
    "retryPolicy": {
      "maxAttempts": )",
                      std::max(2, std::min(5, max_attempts)), R"(,
      "initialBackoff": "0.05s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE", "CANCELLED"]
    }
  }]
})");
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> NewServiceChannel(
    absl::string_view targets, const ChannelOptions& options) {
  auto target = ChannelTarget(targets);
  if (!target.ok()) return target.status();
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (options.tls || !options.tls_ca.empty() || !options.tls_cert.empty()) {
    grpc::SslCredentialsOptions ssl;
    for (auto [path, field] : {std::make_pair(&options.tls_ca, &ssl.pem_root_certs),
                               std::make_pair(&options.tls_cert, &ssl.pem_cert_chain),
                               std::make_pair(&options.tls_key, &ssl.pem_private_key)}) {
      if (path->empty()) continue;
      auto contents = ReadFileToString(*path);
      if (!contents.ok()) return absl::InvalidArgumentError(contents.status().message());
      *field = *std::move(contents);
    }
    credentials = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(ServiceConfigJson(options.max_attempts));
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  args.SetMaxSendMessageSize(options.max_message_bytes);
  // Retries buffer the request; allow whole documents.
  args.SetInt(GRPC_ARG_PER_RPC_RETRY_BUFFER_SIZE, options.max_message_bytes);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  return grpc::CreateCustomChannel(*target, credentials, args);
}

void AddCallCredentials(const ChannelOptions& options, grpc::ClientContext* context) {
  if (!options.bearer_token.empty()) {
    context->AddMetadata("authorization", "Bearer " + options.bearer_token);
  }
}

}  // namespace gongkai
