// gongkai-aggregate-server: AggregateService (plus ParseService and
// ValidateService forwarded to the replicas, so this is one endpoint for
// every operation) on the shared server runner. Needs --parse_targets and
// --validate_targets (flags: common/server/server_options.h).
#include <memory>
#include <utility>

#include "common/regions/division_table.h"
#include "common/server/run_server.h"
#include "services/aggregate/aggregate_service.h"
#include "services/client/channel_engine.h"

namespace gongkai {
namespace {

class AggregateServiceSet : public ServiceSet {
 public:
  std::vector<grpc::Service*> services() override {
    return {aggregate.get(), parse.get(), validate.get()};
  }

  std::shared_ptr<const DivisionTable> divisions;
  std::unique_ptr<ChannelEngine> backend;
  std::unique_ptr<AggregateServiceImpl> aggregate;
  std::unique_ptr<GatewayParseService> parse;
  std::unique_ptr<GatewayValidateService> validate;
};

absl::StatusOr<std::unique_ptr<ServiceSet>> Build(const ServerOptions& options,
                                                  ServerRuntime* runtime) {
  if (options.parse_targets.empty() || options.validate_targets.empty()) {
    return absl::InvalidArgumentError(
        "gongkai-aggregate-server needs --parse_targets and --validate_targets");
  }
  auto set = std::make_unique<AggregateServiceSet>();
  auto divisions = DivisionTable::Embedded();
  if (!divisions.ok()) return divisions.status();
  set->divisions = *std::move(divisions);
  ChannelEngineOptions engine;
  engine.parse_targets = options.parse_targets;
  engine.validate_targets = options.validate_targets;
  engine.channel.max_message_bytes = options.max_message_bytes;
  engine.channel.tls = !options.tls_ca.empty();
  engine.channel.tls_ca = options.tls_ca;
  if (options.tls_require_client_cert) {
    engine.channel.tls_cert = options.tls_cert;
    engine.channel.tls_key = options.tls_key;
  }
  if (!runtime->bearer_tokens().empty()) {
    engine.channel.bearer_token = runtime->bearer_tokens().front();
  }
  auto backend = ChannelEngine::Create(engine);
  if (!backend.ok()) return backend.status();
  set->backend = *std::move(backend);
  set->aggregate = std::make_unique<AggregateServiceImpl>(set->backend.get(),
                                                          set->divisions.get(), runtime);
  set->parse = std::make_unique<GatewayParseService>(set->backend.get(), runtime);
  set->validate = std::make_unique<GatewayValidateService>(set->backend.get(), runtime);
  return std::unique_ptr<ServiceSet>(std::move(set));
}

}  // namespace
}  // namespace gongkai

int main(int argc, char** argv) {
  return gongkai::RunServerMain("gongkai-aggregate-server", argc, argv, gongkai::Build);
}
