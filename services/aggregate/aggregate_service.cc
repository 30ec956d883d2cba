#include "services/aggregate/aggregate_service.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/aggregate/rollup.h"
#include "common/util/sha256.h"

namespace gongkai {
namespace {

// One input of a batch and what became of it.
struct Slot {
  std::string source;
  // Set for a document until it is parsed (then released).
  std::optional<Document> document;
  std::string content_sha256;
  absl::StatusOr<v1::AnnualReport> report = absl::UnknownError("not processed");
  std::optional<v1::ValidationResult> validation;
};

// Parses/validates the slots added, `concurrency` at a time, while more are
// still being added. Slots are kept in input order.
class Fanout {
 public:
  Fanout(ChannelEngine* backend, int concurrency, RpcScope* scope)
      : backend_(backend), scope_(scope) {
    for (int i = 0; i < concurrency; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~Fanout() { Close(); }

  void Add(Slot slot) {
    std::lock_guard<std::mutex> lock(mu_);
    slots_.push_back(std::move(slot));
    pending_.push_back(slots_.size() - 1);
    cv_.notify_one();
  }

  // Waits for every slot; returns them, or the caller's deadline error.
  absl::StatusOr<std::deque<Slot>> Finish() {
    Close();
    if (!alive_.ok()) return alive_;
    return std::move(slots_);
  }

  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return slots_.size();
  }

 private:
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      cv_.notify_all();
    }
    for (auto& worker : workers_) {
      if (worker.joinable()) worker.join();
    }
  }

  void Work() {
    while (true) {
      Slot* slot = nullptr;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return closed_ || !pending_.empty(); });
        if (pending_.empty()) return;
        // deque never moves its elements on push_back: the pointer stays valid.
        slot = &slots_[pending_.front()];
        pending_.pop_front();
        if (!alive_.ok()) continue;
        if (absl::Status alive = scope_->CheckAlive(); !alive.ok()) {
          alive_ = alive;
          continue;
        }
      }
      Process(slot);
    }
  }

  void Process(Slot* slot) {
    if (slot->document.has_value()) {
      slot->content_sha256 = Sha256Hex(slot->document->bytes);
      slot->report = backend_->Parse(*slot->document);
      slot->document.reset();
    }
    if (!slot->report.ok()) return;
    absl::StatusOr<v1::ValidationResult> validation =
        backend_->Validate(*slot->report, nullptr, v1::ValidateOptions());
    if (validation.ok()) slot->validation = *std::move(validation);
  }

  ChannelEngine* backend_;
  RpcScope* scope_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Slot> slots_;
  std::deque<size_t> pending_;
  bool closed_ = false;
  absl::Status alive_;
  std::vector<std::thread> workers_;
};

Slot DocumentSlot(const v1::AggregateDocument& document) {
  Slot slot;
  slot.source = document.file_name();
  slot.document = FromAggregateDocument(document);
  return slot;
}

Slot ReportSlot(const v1::AggregateReport& report) {
  Slot slot;
  slot.source = report.source().empty() ? report.report().source_name() : report.source();
  slot.content_sha256 = report.report().content_sha256();
  slot.report = report.report();
  return slot;
}

v1::Rollup BuildRollup(const v1::AggregateOptions& options, const DivisionTable* divisions,
                       std::deque<Slot>& slots, RpcScope* scope) {
  RollupBuilder builder(options, divisions);
  int failed = 0;
  int not_validated = 0;
  for (Slot& slot : slots) {
    if (!slot.report.ok()) {
      ++failed;
      builder.AddFailure(slot.source, slot.content_sha256, slot.report.status());
      continue;
    }
    if (!slot.validation.has_value()) ++not_validated;
    builder.AddReport(slot.source, *slot.report,
                      slot.validation.has_value() ? &*slot.validation : nullptr);
  }
  scope->fields()
      .Int("items", static_cast<int64_t>(slots.size()))
      .Int("parse_failed", failed)
      .Int("not_validated", not_validated);
  return builder.Finish();
}

}  // namespace

AggregateServiceImpl::AggregateServiceImpl(ChannelEngine* backend,
                                           const DivisionTable* divisions,
                                           ServerRuntime* runtime)
    : backend_(backend), divisions_(divisions), runtime_(runtime) {}

grpc::Status AggregateServiceImpl::Aggregate(
    grpc::ServerContext* context, grpc::ServerReader<v1::AggregateRequest>* reader,
    v1::AggregateResponse* response) {
  RpcScope scope(runtime_, "Aggregate", context);
  if (!scope.admitted()) return scope.Finish(scope.admission());
  if (divisions_ == nullptr) {
    return scope.Finish(absl::FailedPreconditionError("server has no region table"));
  }
  v1::AggregateRequest message;
  if (!reader->Read(&message) || message.item_case() != v1::AggregateRequest::kOptions) {
    return scope.Finish(absl::InvalidArgumentError(
        "the first AggregateRequest of the stream must carry `options`"));
  }
  const v1::AggregateOptions options = message.options();
  const int max_items = runtime_->options().max_batch_items;
  Fanout fanout(backend_, runtime_->options().aggregate_concurrency, &scope);
  int count = 0;
  while (reader->Read(&message)) {
    ++count;
    switch (message.item_case()) {
      case v1::AggregateRequest::kDocument:
        if (message.document().document().empty()) {
          return scope.Finish(absl::InvalidArgumentError(
              absl::StrCat("item ", count, ": empty document")));
        }
        if (count > max_items) break;
        fanout.Add(DocumentSlot(message.document()));
        break;
      case v1::AggregateRequest::kReport:
        if (count > max_items) break;
        fanout.Add(ReportSlot(message.report()));
        break;
      case v1::AggregateRequest::kOptions:
        return scope.Finish(absl::InvalidArgumentError(
            absl::StrCat("item ", count, ": `options` may only be the first message")));
      default:
        return scope.Finish(
            absl::InvalidArgumentError(absl::StrCat("item ", count, " is empty")));
    }
  }
  if (count > max_items) {
    return scope.Finish(absl::ResourceExhaustedError(
        absl::StrCat(count, " items is over the limit of ", max_items,
                     " per call (--max_batch_items)")));
  }
  auto slots = fanout.Finish();
  if (!slots.ok()) return scope.Finish(slots.status());
  *response->mutable_rollup() = BuildRollup(options, divisions_, *slots, &scope);
  return scope.Finish(absl::OkStatus());
}

grpc::Status AggregateServiceImpl::AggregateBatch(grpc::ServerContext* context,
                                                  const v1::AggregateBatchRequest* request,
                                                  v1::AggregateResponse* response) {
  RpcScope scope(runtime_, "AggregateBatch", context);
  if (!scope.admitted()) return scope.Finish(scope.admission());
  if (divisions_ == nullptr) {
    return scope.Finish(absl::FailedPreconditionError("server has no region table"));
  }
  const int count = request->documents_size() + request->reports_size();
  if (count > runtime_->options().max_batch_items) {
    return scope.Finish(absl::ResourceExhaustedError(
        absl::StrCat(count, " items is over the limit of ", runtime_->options().max_batch_items,
                     " per call (--max_batch_items)")));
  }
  for (int i = 0; i < request->documents_size(); ++i) {
    if (request->documents(i).document().empty()) {
      return scope.Finish(
          absl::InvalidArgumentError(absl::StrCat("documents[", i, "]: empty document")));
    }
  }
  Fanout fanout(backend_, runtime_->options().aggregate_concurrency, &scope);
  for (const auto& document : request->documents()) fanout.Add(DocumentSlot(document));
  for (const auto& report : request->reports()) fanout.Add(ReportSlot(report));
  auto slots = fanout.Finish();
  if (!slots.ok()) return scope.Finish(slots.status());
  *response->mutable_rollup() = BuildRollup(request->options(), divisions_, *slots, &scope);
  return scope.Finish(absl::OkStatus());
}

grpc::Status GatewayParseService::Parse(grpc::ServerContext* context,
                                        const v1::ParseRequest* request,
                                        v1::ParseResponse* response) {
  RpcScope scope(runtime_, "Parse", context);
  if (!scope.admitted()) return scope.Finish(scope.admission());
  auto forwarded = backend_->ParseWithResponse(*request);
  if (!forwarded.ok()) return scope.Finish(forwarded.status());
  scope.set_cache(forwarded->from_cache() ? "hit" : "miss");
  *response = *std::move(forwarded);
  return scope.Finish(absl::OkStatus());
}

grpc::Status GatewayValidateService::Validate(grpc::ServerContext* context,
                                              const v1::ValidateRequest* request,
                                              v1::ValidateResponse* response) {
  RpcScope scope(runtime_, "Validate", context);
  if (!scope.admitted()) return scope.Finish(scope.admission());
  auto result = backend_->Validate(request->report(),
                                   request->has_previous() ? &request->previous() : nullptr,
                                   request->options());
  if (!result.ok()) return scope.Finish(result.status());
  *response->mutable_result() = *std::move(result);
  return scope.Finish(absl::OkStatus());
}

}  // namespace gongkai
