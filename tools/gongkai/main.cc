// gongkai: the command-line tool. Runs the core library in-process by
// default, or calls the gRPC services with --endpoint HOST:PORT; both paths
// give the same output.
//
//   gongkai parse     [--output cells|json] FILE...
//   gongkai validate  [--output findings|json] [--previous FILE] FILE...
//   gongkai aggregate [--level L] [--year Y] [--output table|cells|json|csv|xlsx] FILE_OR_DIR...
//
// Global flags (anywhere on the line): --endpoint HOST:PORT, plus the remote
// engine's connection flags (see services/client/remote_engine.h).
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "common/engine/in_process_engine.h"
#include "common/regions/resolver.h"
#include "services/client/remote_engine.h"
#include "tools/gongkai/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: gongkai [--endpoint HOST:PORT [--tls_ca PEM] [--tls_cert PEM --tls_key PEM]\n"
    "               [--token_file FILE]] COMMAND [FLAGS] FILE...\n"
    "commands:\n"
    "  parse      read reports; --output cells|json (default cells)\n"
    "  validate   check their arithmetic; --output findings|json, --previous FILE\n"
    "  aggregate  roll reports up by region; --level province|city|county|country,\n"
    "             --year Y, --output table|cells|json|csv|xlsx\n"
    "Run 'gongkai COMMAND --help' for a command's flags.\n";

}  // namespace

int main(int argc, char** argv) {
  using gongkai::cli::kExitFailure;
  using gongkai::cli::kExitUsage;
  std::vector<std::string> args(argv + 1, argv + argc);

  // Pull the remote engine's flags out wherever they stand.
  gongkai::RemoteEngineOptions remote;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    int consumed = gongkai::ConsumeRemoteEngineFlag(args, i, &remote);
    if (consumed < 0) {
      std::cerr << "gongkai: " << args[i] << " needs a value\n";
      return kExitUsage;
    }
    if (consumed > 0) {
      i += consumed - 1;
      continue;
    }
    rest.push_back(args[i]);
  }
  if (rest.empty() || rest[0] == "--help" || rest[0] == "-h") {
    std::cerr << kUsage;
    return rest.empty() ? kExitUsage : 0;
  }
  const std::string command = rest[0];
  rest.erase(rest.begin());

  std::unique_ptr<gongkai::RegionResolver> resolver;
  std::unique_ptr<gongkai::Engine> engine;
  if (!gongkai::IsRemote(remote)) {
    auto loaded = gongkai::RegionResolver::LoadDefault();
    if (!loaded.ok()) {
      std::cerr << "gongkai: " << loaded.status().message() << "\n";
      return kExitFailure;
    }
    resolver = *std::move(loaded);
    engine = std::make_unique<gongkai::InProcessEngine>(
        gongkai::InProcessEngineOptions{}, resolver.get());
  } else {
    auto connected = gongkai::NewRemoteEngine(remote);
    if (!connected.ok()) {
      std::cerr << "gongkai: " << connected.status().message() << "\n";
      return kExitFailure;
    }
    engine = *std::move(connected);
  }

  if (command == "parse") return gongkai::cli::RunParse(*engine, rest);
  if (command == "validate") return gongkai::cli::RunValidate(*engine, rest);
  if (command == "aggregate") return gongkai::cli::RunAggregate(*engine, rest);
  std::cerr << "gongkai: unknown command '" << command << "'\n" << kUsage;
  return kExitUsage;
}
