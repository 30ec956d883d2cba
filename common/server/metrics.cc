#include "common/server/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/cache/cache.h"

namespace gongkai {

void Metrics::ObserveRpc(absl::string_view method, absl::string_view code,
                         double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& series = rpcs_[{std::string(method), std::string(code)}];
  ++series.count;
  series.sum += seconds;
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++series.buckets[i];
  }
}

void Metrics::AddCollector(Collector collector) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collector));
}

void Metrics::AddCache(const Cache* cache) {
  std::lock_guard<std::mutex> lock(mu_);
  caches_.push_back(cache);
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  out +=
      "# HELP gongkai_rpc_requests_total RPCs finished, by method and status code.\n"
      "# TYPE gongkai_rpc_requests_total counter\n";
  for (const auto& [key, series] : rpcs_) {
    absl::StrAppend(&out, "gongkai_rpc_requests_total{method=\"", key.first,
                    "\",code=\"", key.second, "\"} ", series.count, "\n");
  }
  out +=
      "# HELP gongkai_rpc_latency_seconds RPC latency, by method and status code.\n"
      "# TYPE gongkai_rpc_latency_seconds histogram\n";
  for (const auto& [key, series] : rpcs_) {
    const std::string labels =
        absl::StrCat("method=\"", key.first, "\",code=\"", key.second, "\"");
    for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      absl::StrAppendFormat(&out, "gongkai_rpc_latency_seconds_bucket{%s,le=\"%g\"} %d\n",
                            labels, kLatencyBuckets[i], series.buckets[i]);
    }
    absl::StrAppendFormat(&out,
                          "gongkai_rpc_latency_seconds_bucket{%s,le=\"+Inf\"} %d\n"
                          "gongkai_rpc_latency_seconds_sum{%s} %.6f\n"
                          "gongkai_rpc_latency_seconds_count{%s} %d\n",
                          labels, series.count, labels, series.sum, labels, series.count);
  }
  // One family at a time, every tier inside it (the format wants each
  // family's samples together).
  struct Family {
    const char* name;
    const char* help;
    const char* outcome;  // label value, or null
    uint64_t (*read)(const CacheCounters&);
  };
  static constexpr Family kFamilies[] = {
      {"gongkai_cache_requests_total",
       "Cache lookups by tier and outcome (error = store unreachable, served as a miss).",
       "hit", [](const CacheCounters& c) -> uint64_t { return c.hits.load(); }},
      {"gongkai_cache_requests_total", nullptr, "miss",
       [](const CacheCounters& c) -> uint64_t { return c.misses.load(); }},
      {"gongkai_cache_requests_total", nullptr, "error",
       [](const CacheCounters& c) -> uint64_t { return c.errors.load(); }},
      {"gongkai_cache_puts_total", "Values stored, by tier.", nullptr,
       [](const CacheCounters& c) -> uint64_t { return c.puts.load(); }},
      {"gongkai_cache_put_errors_total", "Stores that failed (value dropped), by tier.",
       nullptr, [](const CacheCounters& c) -> uint64_t { return c.put_errors.load(); }},
      {"gongkai_cache_evictions_total", "Entries evicted for space, by tier.", nullptr,
       [](const CacheCounters& c) -> uint64_t { return c.evictions.load(); }},
  };
  if (!caches_.empty()) {
    for (const Family& family : kFamilies) {
      if (family.help != nullptr) {
        absl::StrAppend(&out, "# HELP ", family.name, " ", family.help, "\n# TYPE ",
                        family.name, " counter\n");
      }
      for (const Cache* cache : caches_) {
        absl::StrAppend(&out, family.name, "{tier=\"", cache->name(), "\"");
        if (family.outcome != nullptr) {
          absl::StrAppend(&out, ",outcome=\"", family.outcome, "\"");
        }
        absl::StrAppend(&out, "} ", family.read(cache->counters()), "\n");
      }
    }
  }
  for (const Collector& collector : collectors_) collector(&out);
  return out;
}

}  // namespace gongkai
