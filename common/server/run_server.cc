#include "common/server/run_server.h"

#include <signal.h>

#include <cstdlib>
#include <string>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/server/grpc_server.h"
#include "common/server/metrics.h"
#include "common/server/metrics_http.h"
#include "common/util/logging.h"

namespace gongkai {

int RunServerMain(absl::string_view name, int argc, char** argv,
                  const ServiceSetFactory& factory) {
  // Block the stop signals in every thread; this one takes them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Debian's Abseil is built with its debug checks on: every absl::Mutex
  // (gRPC's too) then records lock order in a global graph, 1–2% of each
  // server's CPU (perf, issue 8). A release server does not need it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  absl::SetProgramUsageMessage(
      absl::StrCat(name, ": gongkai gRPC server. Flags: --port, --metrics_port, ..."));
  absl::ParseCommandLine(argc, argv);
  auto options = ServerOptionsFromFlags();
  SetupJsonLogging(name, "info");  // --log_level filters the access log only
  if (!options.ok()) {
    LogJson(spdlog::level::err, "bad flags", LogFields().Str("error", options.status().message()));
    return 2;
  }

  auto loaded = LoadBearerTokens(options->auth_token_file, std::getenv(kAuthTokensEnv));
  if (!loaded.ok()) {
    LogJson(spdlog::level::err, "bad flags", LogFields().Str("error", loaded.status().message()));
    return 2;
  }
  std::vector<std::string> tokens = *std::move(loaded);

  Metrics metrics;
  ServerRuntime runtime(*options, &metrics, tokens);
  auto services = factory(*options, &runtime);
  if (!services.ok()) {
    LogJson(spdlog::level::err, "start-up failed",
            LogFields().Str("error", services.status().message()));
    return 1;
  }
  auto server = GrpcServer::Start(*options, (*services)->services());
  if (!server.ok()) {
    LogJson(spdlog::level::err, "start-up failed",
            LogFields().Str("error", server.status().message()));
    return 1;
  }
  MetricsHttpServer metrics_http(&metrics);
  int metrics_port = -1;
  if (options->metrics_port >= 0) {
    auto bound = metrics_http.Start(options->host, options->metrics_port);
    if (!bound.ok()) {
      LogJson(spdlog::level::err, "start-up failed",
              LogFields().Str("error", bound.status().message()));
      return 1;
    }
    metrics_port = *bound;
  }
  LogJson(spdlog::level::info, "listening",
          LogFields()
              .Int("port", (*server)->port())
              .Int("metrics_port", metrics_port)
              .Int("max_in_flight", options->max_in_flight)
              .Int("max_message_bytes", options->max_message_bytes)
              .Bool("tls", !options->tls_cert.empty())
              .Bool("auth", !tokens.empty()));

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  LogJson(spdlog::level::info, "draining",
          LogFields()
              .Str("signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
              .Double("drain_seconds", options->drain_seconds)
              .Int("in_flight", runtime.in_flight()));
  (*server)->Drain([&runtime] { return runtime.in_flight(); });
  metrics_http.Stop();
  LogJson(spdlog::level::info, "stopped");
  return 0;
}

}  // namespace gongkai
