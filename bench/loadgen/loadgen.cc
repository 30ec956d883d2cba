// gongkai-loadgen: a closed-loop load generator for ParseService on gRPC's
// callback API. Keeps --in_flight calls outstanding (each completion starts
// the next call), for --warmup_s then --duration_s, and prints one JSON line:
// calls/s, latency p50/p99/p99.9 in ms, errors by status code and the share
// served from cache.
//
// Documents are synthetic (tools/corpusgen, titles with 示例), between half
// and 110% of --report_bytes, padded towards it with filler lines at the end. --mode=hit cycles over --documents distinct documents
// (after the warm-up they are all cached); --mode=miss makes every call's
// bytes unique (a trailing line with a call number), so every call parses.
//
//   gongkai-loadgen --target=127.0.0.1:50051 --in_flight=64 --mode=hit
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "common/parse/decode.h"
#include "common/server/channels.h"
#include "gongkai/v1/parse_service.grpc.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "tools/corpusgen/corpus_generator.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "ParseService target.");
ABSL_FLAG(int, in_flight, 64, "Calls outstanding at all times.");
ABSL_FLAG(int, channels, 1, "gRPC channels the calls are spread over.");
ABSL_FLAG(double, duration_s, 10, "Measured seconds.");
ABSL_FLAG(double, warmup_s, 2, "Unmeasured seconds first.");
ABSL_FLAG(std::string, mode, "hit", "hit (repeat --documents documents) or miss (unique bytes).");
ABSL_FLAG(int, documents, 256, "Distinct documents in hit mode.");
ABSL_FLAG(int, report_bytes, 10240, "Approximate document size.");
ABSL_FLAG(int, deadline_ms, 10000, "Per-call deadline.");
ABSL_FLAG(bool, decode, false,
          "Decode every ParseResponse into an AnnualReport (true) or only skim its "
          "top-level fields for from_cache (false: the client then costs less CPU than "
          "the server, so the figure measures the server).");

namespace gongkai {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> MakeDocuments(int count, int target_bytes) {
  corpusgen::GeneratorOptions options;
  options.seed = 4242;
  options.error_share = 0;
  options.layouts = {corpusgen::Layout::kTsv, corpusgen::Layout::kAligned,
                     corpusgen::Layout::kPipe, corpusgen::Layout::kMarkdown};
  corpusgen::CorpusGenerator generator(options);
  std::vector<std::string> documents;
  const int low = target_bytes / 2;
  const int high = target_bytes * 11 / 10;
  for (uint64_t i = 0; static_cast<int>(documents.size()) < count && i < 200000; ++i) {
    std::string bytes = generator.Generate(i).bytes;
    const int size = static_cast<int>(bytes.size());
    // UTF-8 ones only (the generator also writes other encodings), so the
    // UTF-8 filler keeps them decodable.
    if (size < low || size > high || !IsValidUtf8(bytes)) continue;
    // Pad to about the target with filler lines at the end (section 六).
    while (static_cast<int>(bytes.size()) + 60 <= target_bytes) {
      bytes += "\n示例说明：本段为负载测试填充文字，不含数据。";
    }
    documents.push_back(std::move(bytes));
  }
  return documents;
}

class LoadGenerator {
 public:
  LoadGenerator(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                std::vector<std::string> documents, bool miss, bool decode, int deadline_ms)
      : documents_(std::move(documents)),
        miss_(miss),
        decode_(decode),
        deadline_ms_(deadline_ms) {
    for (const auto& channel : channels) {
      stubs_.push_back(v1::ParseService::NewStub(channel));
      generic_.push_back(std::make_unique<grpc::GenericStub>(channel));
    }
  }

  void Run(int in_flight, double warmup_s, double duration_s) {
    const auto start = Clock::now();
    measure_from_ = start + std::chrono::microseconds(static_cast<int64_t>(warmup_s * 1e6));
    stop_at_ = measure_from_ + std::chrono::microseconds(static_cast<int64_t>(duration_s * 1e6));
    slots_.resize(in_flight);
    for (int i = 0; i < in_flight; ++i) {
      slots_[i].index = i;
      Start(&slots_[i]);
    }
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [&] { return finished_slots_ == in_flight; });
  }

  void Print(double duration_s, int in_flight, const std::string& mode, size_t bytes) {
    std::vector<double> latencies;
    std::map<std::string, uint64_t> errors;
    uint64_t cached = 0;
    for (Slot& slot : slots_) {
      latencies.insert(latencies.end(), slot.latencies_ms.begin(), slot.latencies_ms.end());
      for (auto& [code, n] : slot.errors) errors[code] += n;
      cached += slot.cached;
    }
    std::sort(latencies.begin(), latencies.end());
    auto quantile = [&](double q) {
      if (latencies.empty()) return 0.0;
      size_t i = static_cast<size_t>(q * (latencies.size() - 1));
      return latencies[i];
    };
    uint64_t error_count = 0;
    std::string error_json;
    for (auto& [code, n] : errors) {
      absl::StrAppend(&error_json, error_json.empty() ? "" : ",", "\"", code, "\":", n);
      error_count += n;
    }
    const uint64_t calls = latencies.size() + error_count;
    std::printf(
        "{\"mode\":\"%s\",\"decode\":%s,\"in_flight\":%d,\"avg_document_bytes\":%zu,\"seconds\":%.1f,"
        "\"calls\":%llu,\"calls_per_s\":%.0f,\"ok\":%zu,\"from_cache\":%llu,"
        "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,\"errors\":{%s}}\n",
        mode.c_str(), decode_ ? "true" : "false", in_flight, bytes, duration_s, static_cast<unsigned long long>(calls),
        calls / duration_s, latencies.size(), static_cast<unsigned long long>(cached),
        quantile(0.5), quantile(0.99), quantile(0.999),
        latencies.empty() ? 0.0 : latencies.back(), error_json.c_str());
  }

 private:
  struct Slot {
    int index = 0;
    std::unique_ptr<grpc::ClientContext> context;
    v1::ParseRequest request;
    v1::ParseResponse response;
    grpc::ByteBuffer raw_request;
    grpc::ByteBuffer raw_response;
    Clock::time_point sent;
    std::vector<double> latencies_ms;
    std::map<std::string, uint64_t> errors;
    uint64_t cached = 0;
  };

  void Start(Slot* slot) {
    const uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
    const std::string& base = documents_[n % documents_.size()];
    if (miss_) {
      slot->request.set_document(absl::StrCat(base, "\n示例编号 ", nonce_, "-", n, "\n"));
    } else {
      slot->request.set_document(base);
    }
    slot->request.set_file_name(absl::StrCat("loadgen-", n % documents_.size(), ".txt"));
    slot->response.Clear();
    slot->context = std::make_unique<grpc::ClientContext>();
    slot->context->set_deadline(std::chrono::system_clock::now() +
                                std::chrono::milliseconds(deadline_ms_));
    slot->sent = Clock::now();
    const size_t channel = slot->index % stubs_.size();
    if (decode_) {
      stubs_[channel]->async()->Parse(slot->context.get(), &slot->request, &slot->response,
                                      [this, slot](grpc::Status status) { Done(slot, status); });
      return;
    }
    grpc::Slice slice(slot->request.SerializeAsString());
    grpc::ByteBuffer request(&slice, 1);
    slot->raw_request.Swap(&request);
    slot->raw_response.Clear();
    generic_[channel]->UnaryCall(slot->context.get(), "/gongkai.v1.ParseService/Parse",
                                 grpc::StubOptions(), &slot->raw_request, &slot->raw_response,
                                 [this, slot](grpc::Status status) { Done(slot, status); });
  }

  // ParseResponse.from_cache (field 2) without decoding the report (field 1).
  static bool SkimFromCache(grpc::ByteBuffer* response) {
    grpc::ProtoBufferReader reader(response);
    google::protobuf::io::CodedInputStream input(&reader);
    input.SetTotalBytesLimit(INT32_MAX);
    while (uint32_t tag = input.ReadTag()) {
      if (tag == (2u << 3)) {
        uint32_t value = 0;
        return input.ReadVarint32(&value) && value != 0;
      }
      if ((tag & 7) != 2) return false;
      uint32_t length = 0;
      if (!input.ReadVarint32(&length) || !input.Skip(static_cast<int>(length))) return false;
    }
    return false;
  }

  void Done(Slot* slot, const grpc::Status& status) {
    const auto now = Clock::now();
    if (slot->sent >= measure_from_ && now <= stop_at_) {
      if (status.ok()) {
        slot->latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(now - slot->sent).count());
        if (decode_ ? slot->response.from_cache() : SkimFromCache(&slot->raw_response)) {
          ++slot->cached;
        }
      } else {
        ++slot->errors[std::to_string(static_cast<int>(status.error_code()))];
      }
    }
    if (now < stop_at_) {
      Start(slot);
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    ++finished_slots_;
    done_cv_.notify_all();
  }

  std::vector<std::unique_ptr<v1::ParseService::Stub>> stubs_;
  std::vector<std::unique_ptr<grpc::GenericStub>> generic_;
  const std::vector<std::string> documents_;
  const bool miss_;
  const bool decode_;
  const int deadline_ms_;
  Clock::time_point measure_from_;
  Clock::time_point stop_at_;
  std::vector<Slot> slots_;
  std::atomic<uint64_t> next_{0};
  // Makes miss-mode documents unique across runs too.
  const int64_t nonce_ = std::chrono::system_clock::now().time_since_epoch().count();
  std::mutex mu_;
  std::condition_variable done_cv_;
  int finished_slots_ = 0;
};

}  // namespace
}  // namespace gongkai

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode != "hit" && mode != "miss") {
    std::fprintf(stderr, "--mode must be hit or miss\n");
    return 2;
  }
  const int in_flight = std::max(1, absl::GetFlag(FLAGS_in_flight));
  std::vector<std::string> documents = gongkai::MakeDocuments(
      mode == "hit" ? absl::GetFlag(FLAGS_documents) : 64, absl::GetFlag(FLAGS_report_bytes));
  if (documents.empty()) {
    std::fprintf(stderr, "no synthetic document near --report_bytes\n");
    return 1;
  }
  size_t total = 0;
  for (const auto& d : documents) total += d.size();
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_channels)); ++i) {
    gongkai::ChannelOptions options;
    auto channel = gongkai::NewServiceChannel(absl::GetFlag(FLAGS_target), options);
    if (!channel.ok()) {
      std::fprintf(stderr, "%s\n", channel.status().ToString().c_str());
      return 2;
    }
    channels.push_back(*channel);
  }
  gongkai::LoadGenerator generator(channels, documents, mode == "miss",
                                   absl::GetFlag(FLAGS_decode), absl::GetFlag(FLAGS_deadline_ms));
  generator.Run(in_flight, absl::GetFlag(FLAGS_warmup_s), absl::GetFlag(FLAGS_duration_s));
  generator.Print(absl::GetFlag(FLAGS_duration_s), in_flight, mode, total / documents.size());
  return 0;
}
