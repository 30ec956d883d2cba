// gongkai-parse-server: ParseService on the shared server runner (flags:
// common/server/server_options.h).
#include <memory>
#include <utility>

#include "common/parse/parser.h"
#include "common/regions/resolver.h"
#include "common/server/parse_cache_factory.h"
#include "common/server/run_server.h"
#include "services/parse/parse_service.h"

namespace gongkai {
namespace {

class ParseServiceSet : public ServiceSet {
 public:
  std::vector<grpc::Service*> services() override { return {service.get()}; }

  std::unique_ptr<RegionResolver> resolver;
  std::unique_ptr<ReportParser> parser;
  std::unique_ptr<Cache> cache;
  std::unique_ptr<ParseServiceImpl> service;
};

absl::StatusOr<std::unique_ptr<ServiceSet>> Build(const ServerOptions& options,
                                                  ServerRuntime* runtime) {
  auto set = std::make_unique<ParseServiceSet>();
  auto resolver = RegionResolver::LoadDefault();
  if (!resolver.ok()) return resolver.status();
  set->resolver = *std::move(resolver);
  ParserOptions parser_options;
  parser_options.max_document_bytes = options.max_document_bytes;
  set->parser = std::make_unique<ReportParser>(parser_options, set->resolver.get());
  auto cache = NewParseCache(options, &runtime->metrics());
  if (!cache.ok()) return cache.status();
  set->cache = *std::move(cache);
  set->service =
      std::make_unique<ParseServiceImpl>(set->parser.get(), set->cache.get(), runtime);
  return std::unique_ptr<ServiceSet>(std::move(set));
}

}  // namespace
}  // namespace gongkai

int main(int argc, char** argv) {
  return gongkai::RunServerMain("gongkai-parse-server", argc, argv, gongkai::Build);
}
