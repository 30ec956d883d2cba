#include "services/client/remote_engine.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "common/server/server_runtime.h"
#include "services/client/channel_engine.h"

namespace gongkai {
namespace {

// "--name VALUE" or "--name=VALUE" at args[i]: sets *value and returns the
// words used; 0 when args[i] is another flag; -1 when the value is missing.
int ConsumeValue(const std::vector<std::string>& args, size_t i, absl::string_view name,
                 std::string* value) {
  absl::string_view arg = args[i];
  if (!absl::StartsWith(arg, name)) return 0;
  arg.remove_prefix(name.size());
  if (arg.empty()) {
    if (i + 1 >= args.size()) return -1;
    *value = args[i + 1];
    return 2;
  }
  if (arg.front() != '=') return 0;
  *value = std::string(arg.substr(1));
  return 1;
}

}  // namespace

bool IsRemote(const RemoteEngineOptions& options) {
  return !options.endpoint.empty() || !options.parse_endpoint.empty() ||
         !options.validate_endpoint.empty() || !options.aggregate_endpoint.empty();
}

int ConsumeRemoteEngineFlag(const std::vector<std::string>& args, size_t i,
                            RemoteEngineOptions* options) {
  if (i >= args.size()) return 0;
  const std::pair<absl::string_view, std::string*> string_flags[] = {
      {"--endpoint", &options->endpoint},
      {"--parse_endpoint", &options->parse_endpoint},
      {"--validate_endpoint", &options->validate_endpoint},
      {"--aggregate_endpoint", &options->aggregate_endpoint},
      {"--tls_ca", &options->tls_ca},
      {"--tls_cert", &options->tls_cert},
      {"--tls_key", &options->tls_key},
      {"--token_file", &options->token_file},
  };
  std::string value;
  for (const auto& [name, field] : string_flags) {
    const int used = ConsumeValue(args, i, name, &value);
    if (used == 0) continue;
    if (used < 0 || value.empty()) return -1;
    *field = value;
    return used;
  }
  const int used = ConsumeValue(args, i, "--deadline_ms", &value);
  if (used > 0) {
    int deadline = 0;
    if (!absl::SimpleAtoi(value, &deadline) || deadline <= 0) return -1;
    options->deadline_ms = deadline;
  }
  return used;
}

absl::StatusOr<std::unique_ptr<Engine>> NewRemoteEngine(const RemoteEngineOptions& options) {
  if (!IsRemote(options)) return absl::InvalidArgumentError("--endpoint is empty");
  if (options.deadline_ms <= 0) {
    return absl::InvalidArgumentError("deadline_ms must be positive");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  ChannelEngineOptions engine;
  auto pick = [&options](const std::string& specific) {
    return specific.empty() ? options.endpoint : specific;
  };
  engine.parse_targets = pick(options.parse_endpoint);
  engine.validate_targets = pick(options.validate_endpoint);
  engine.aggregate_targets = pick(options.aggregate_endpoint);
  engine.deadline_ms = options.deadline_ms;
  engine.aggregate_deadline_ms = std::max(options.deadline_ms, 3600000);
  engine.channel.tls_ca = options.tls_ca;
  engine.channel.tls_cert = options.tls_cert;
  engine.channel.tls_key = options.tls_key;
  if (!options.token_file.empty()) {
    auto tokens = ReadTokenFile(options.token_file);
    if (!tokens.ok()) return tokens.status();
    engine.channel.bearer_token = tokens->front();
  } else if (const char* env = std::getenv(kClientTokenEnv)) {
    engine.channel.bearer_token = std::string(absl::StripAsciiWhitespace(env));
    if (engine.channel.bearer_token.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("$", kClientTokenEnv, " is set but holds no token"));
    }
  }
  auto created = ChannelEngine::Create(engine);
  if (!created.ok()) return created.status();
  return std::unique_ptr<Engine>(*std::move(created));
}

}  // namespace gongkai
