// Metrics: the services' Prometheus counters and histograms, rendered in the
// text exposition format (version 0.0.4) by Render(). RPCs are counted by
// method and status code with a latency histogram; other components (the
// caches, the in-flight gauge) register collectors that append their own
// lines at render time.
//
// Thread-safety: safe to call concurrently.
#ifndef GONGKAI_COMMON_SERVER_METRICS_H_
#define GONGKAI_COMMON_SERVER_METRICS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"

namespace gongkai {

class Cache;

class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram buckets, +Inf implied.
  static constexpr std::array<double, 14> kLatencyBuckets = {
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05,
      0.1,    0.2,   0.5,   1,     2,    5,    10};

  // Appends complete exposition lines (# HELP/# TYPE included) to `out`.
  using Collector = std::function<void(std::string* out)>;

  // One finished RPC: gongkai_rpc_requests_total and
  // gongkai_rpc_latency_seconds{method,code}.
  void ObserveRpc(absl::string_view method, absl::string_view code, double seconds);

  void AddCollector(Collector collector);

  // Exports `cache`'s counters as gongkai_cache_*{tier="<cache.name()>"};
  // `cache` must outlive this object.
  void AddCache(const Cache* cache);

  // The whole exposition text.
  std::string Render() const;

 private:
  struct Series {
    uint64_t count = 0;
    double sum = 0;
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};
  };
  mutable std::mutex mu_;  // std::mutex: visible to ThreadSanitizer (Debian's Abseil is not)
  std::map<std::pair<std::string, std::string>, Series> rpcs_ ABSL_GUARDED_BY(mu_);
  std::vector<Collector> collectors_ ABSL_GUARDED_BY(mu_);
  std::vector<const Cache*> caches_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_METRICS_H_
