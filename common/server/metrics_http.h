// MetricsHttpServer: a tiny HTTP/1.0 listener that answers GET /metrics with
// Metrics::Render() (text/plain; version=0.0.4) and anything else with 404.
// One connection at a time on its own thread; a client that sends nothing
// for 2 s is dropped, so a stuck scraper cannot hang it.
//
// Thread-safety: Start/Stop from one thread; serving runs on its own thread.
#ifndef GONGKAI_COMMON_SERVER_METRICS_HTTP_H_
#define GONGKAI_COMMON_SERVER_METRICS_HTTP_H_

#include <atomic>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "common/server/metrics.h"

namespace gongkai {

class MetricsHttpServer {
 public:
  // `metrics` must outlive the server.
  explicit MetricsHttpServer(const Metrics* metrics);
  ~MetricsHttpServer();  // Stop()s

  // Binds `host`:`port` (0 = a free port) and starts serving. Returns the
  // bound port. Errors: UNAVAILABLE when the address cannot be bound.
  absl::StatusOr<int> Start(const std::string& host, int port);
  void Stop();

 private:
  void Serve();

  const Metrics* metrics_;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_METRICS_HTTP_H_
