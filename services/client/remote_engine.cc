#include "services/client/remote_engine.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
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

int ConsumeRemoteEngineFlag(const std::vector<std::string>& args, size_t i,
                            RemoteEngineOptions* options) {
  if (i >= args.size()) return 0;
  std::string value;
  int used = ConsumeValue(args, i, "--endpoint", &value);
  if (used > 0) {
    if (value.empty()) return -1;
    options->endpoint = value;
    return used;
  }
  if (used < 0) return used;
  used = ConsumeValue(args, i, "--deadline_ms", &value);
  if (used > 0) {
    int deadline = 0;
    if (!absl::SimpleAtoi(value, &deadline) || deadline <= 0) return -1;
    options->deadline_ms = deadline;
  }
  return used;
}

absl::StatusOr<std::unique_ptr<Engine>> NewRemoteEngine(const RemoteEngineOptions& options) {
  if (options.endpoint.empty()) return absl::InvalidArgumentError("--endpoint is empty");
  if (options.deadline_ms <= 0) {
    return absl::InvalidArgumentError("deadline_ms must be positive");
  }
  ChannelEngineOptions engine;
  engine.parse_targets = options.endpoint;
  engine.validate_targets = options.endpoint;
  engine.aggregate_targets = options.endpoint;
  engine.deadline_ms = options.deadline_ms;
  engine.aggregate_deadline_ms = std::max(options.deadline_ms, 3600000);
  auto created = ChannelEngine::Create(engine);
  if (!created.ok()) return created.status();
  return std::unique_ptr<Engine>(*std::move(created));
}

}  // namespace gongkai
