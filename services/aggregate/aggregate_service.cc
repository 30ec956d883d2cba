#include "services/aggregate/aggregate_service.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/aggregate/rollup.h"
#include "common/server/report_wire.h"
#include "common/util/sha256.h"

namespace gongkai {
namespace {

// One input of a batch and what became of it.
struct Slot {
  std::string source;
  // Set for a document until it is parsed (then released).
  std::optional<v1::AggregateDocument> document;
  std::string content_sha256;
  // OK once `report` holds the parsed report.
  absl::Status status = absl::UnknownError("not processed");
  // What the roll-up reads of the report (MergeReportForRollup: no text, no
  // spans). Taken from, and given back to, OrderedRollup's pool of cleared
  // reports, whose cells and strings keep their memory.
  std::unique_ptr<v1::AnnualReport> report;
  // The ValidateRequest bytes, from parsing until validated.
  std::string validate_request;
  std::optional<v1::ValidationResult> validation;
  bool done = false;
};

// Reports per ValidateBatch call: enough to spread the per-call cost (gRPC,
// wake-ups) thin, few enough to keep a batch small (~25 KB per report).
constexpr size_t kValidateBatch = 8;
// A batch stays under this many request bytes (a report over it goes
// alone), far below any sane --max_message_bytes, so one huge report cannot
// push its batch over the validate replica's limit and take the others'
// validation down with it.
constexpr size_t kValidateBatchBytes = 4u << 20;

// How often a batch asks gRPC whether its call was cancelled.
constexpr std::chrono::milliseconds kCancelCheckInterval{20};

// Parses/validates the inputs added, `concurrency` at a time, while more are
// still arriving, and feeds each result to a RollupBuilder in input order as
// soon as every earlier input is done, then drops it. At most `window`
// inputs are held at once: Add() blocks beyond that, which pushes back on
// the client through gRPC flow control. Memory is bounded by the window,
// not by the batch.
class OrderedRollup {
 public:
  OrderedRollup(ChannelEngine* backend, int concurrency, RpcScope* scope,
                const v1::AggregateOptions& options, const DivisionTable* divisions)
      : backend_(backend),
        scope_(scope),
        window_(static_cast<size_t>(concurrency) * 4),
        builder_(options, divisions) {
    for (int i = 0; i < concurrency; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~OrderedRollup() { Close(); }

  void Add(Slot slot) {
    std::unique_lock<std::mutex> lock(mu_);
    room_cv_.wait(lock, [this] { return slots_.size() < window_; });
    slots_.push_back(std::move(slot));
    // deque::push_back keeps references to the other elements valid.
    pending_.push_back(&slots_.back());
    work_cv_.notify_one();
  }

  // Waits for every input; returns the roll-up, or the caller's deadline
  // error.
  absl::StatusOr<v1::Rollup> Finish() {
    Close();
    // A call past its deadline returns no partial roll-up.
    if (alive_.ok()) alive_ = scope_->CheckAlive();
    if (!alive_.ok()) return alive_;
    scope_->fields()
        .Int("items", committed_)
        .Int("parse_failed", failed_)
        .Int("not_validated", not_validated_);
    return builder_.Finish();
  }

 private:
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      work_cv_.notify_all();
    }
    for (auto& worker : workers_) {
      if (worker.joinable()) worker.join();
    }
  }

  // Takes inputs to parse one at a time; parsed ones wait in `to_validate_`
  // and are validated kValidateBatch at a time (or fewer when nothing is
  // left to parse), one ValidateBatch call per batch.
  void Work() {
    std::vector<Slot*> batch;
    while (true) {
      Slot* slot = nullptr;
      bool skip = false;
      batch.clear();
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_cv_.wait(lock, [this] {
          return closed_ || !pending_.empty() || !to_validate_.empty();
        });
        if (!to_validate_.empty() &&
            (to_validate_.size() >= kValidateBatch || pending_.empty())) {
          size_t bytes = 0;
          while (!to_validate_.empty() && batch.size() < kValidateBatch &&
                 (batch.empty() ||
                  bytes + to_validate_.front()->validate_request.size() <= kValidateBatchBytes)) {
            bytes += to_validate_.front()->validate_request.size();
            batch.push_back(to_validate_.front());
            to_validate_.pop_front();
          }
          RefreshAliveLocked();
          skip = !alive_.ok();
        } else if (pending_.empty()) {
          return;  // closed, nothing left
        } else {
          slot = pending_.front();
          pending_.pop_front();
          RefreshAliveLocked();
          skip = !alive_.ok();
        }
      }
      if (!batch.empty()) {
        if (!skip) ValidateBatch(batch);
        std::lock_guard<std::mutex> lock(mu_);
        for (Slot* done : batch) done->done = true;
        CommitReadyLocked();
        continue;
      }
      const bool parsed = !skip && Parse(slot);
      std::lock_guard<std::mutex> lock(mu_);
      if (parsed) {
        to_validate_.push_back(slot);
        work_cv_.notify_one();
      } else {
        slot->done = true;
        CommitReadyLocked();
      }
    }
  }

  // Feeds the finished inputs at the front to the builder and drops them.
  void CommitReadyLocked() {
    while (!slots_.empty() && slots_.front().done) {
      Slot& slot = slots_.front();
      if (alive_.ok()) {
        ++committed_;
        if (!slot.status.ok()) {
          ++failed_;
          builder_.AddFailure(slot.source, slot.content_sha256, slot.status);
        } else {
          if (!slot.validation.has_value()) ++not_validated_;
          builder_.AddReport(slot.source, *slot.report,
                             slot.validation.has_value() ? &*slot.validation : nullptr);
        }
      }
      GiveBackLocked(std::move(slot.report));
      slots_.pop_front();
      room_cv_.notify_one();
    }
  }

  // Parses the slot's document, if any, and prepares its ValidateRequest.
  // The parse replica is asked for the report without its normalised text;
  // its answer is forwarded to validate as bytes (no decode and encode in
  // between), and only what the roll-up sums is decoded here. False when
  // there is nothing to validate (the parse failed).
  bool Parse(Slot* slot) {
    if (!slot->document.has_value()) {
      if (!slot->status.ok()) return false;
      slot->validate_request = ValidateRequestBytes({slot->report->SerializeAsString()});
      return true;
    }
    v1::AggregateDocument& document = *slot->document;
    v1::ParseRequest request;
    request.set_file_name(document.file_name());
    request.set_media_type(document.media_type());
    request.set_region_code(document.region_code());
    request.set_year(document.year());
    request.set_omit_normalized_text(true);
    request.set_allocated_document(document.release_document());
    slot->document.reset();
    absl::StatusOr<std::string> response =
        backend_->ParseRaw(request.SerializeAsString(), scope_->deadline());
    absl::StatusOr<ParseResponseParts> parts =
        response.ok() ? SplitParseResponse(*response) : response.status();
    if (parts.ok()) {
      slot->report = TakeReport();
      for (absl::string_view chunk : parts->report_chunks) {
        slot->status = MergeReportForRollup(chunk, slot->report.get());
        if (!slot->status.ok()) break;
      }
      if (parts->report_chunks.empty()) {
        slot->status = absl::InternalError("the parse replica answered without a report");
      }
    } else {
      slot->status = parts.status();
    }
    if (!slot->status.ok()) {
      // The outcome names the bytes that failed.
      slot->content_sha256 = Sha256Hex(request.document());
      GiveBack(std::move(slot->report));
      return false;
    }
    slot->validate_request = ValidateRequestBytes(parts->report_chunks);
    return true;
  }

  // A cleared report from the pool, or a new one.
  std::unique_ptr<v1::AnnualReport> TakeReport() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_reports_.empty()) {
        std::unique_ptr<v1::AnnualReport> report = std::move(free_reports_.back());
        free_reports_.pop_back();
        return report;
      }
    }
    return std::make_unique<v1::AnnualReport>();
  }
  void GiveBack(std::unique_ptr<v1::AnnualReport> report) {
    std::lock_guard<std::mutex> lock(mu_);
    GiveBackLocked(std::move(report));
  }
  // At most `window_` reports are kept (as many as inputs are held).
  void GiveBackLocked(std::unique_ptr<v1::AnnualReport> report) {
    if (report == nullptr || free_reports_.size() >= window_) return;
    report->Clear();
    free_reports_.push_back(std::move(report));
  }

  // alive_ refreshed: the deadline on every call, gRPC's cancellation (a
  // poll on the synchronous API) at most every kCancelCheckInterval, so a
  // cancelled call stops within that.
  void RefreshAliveLocked() {
    if (!alive_.ok()) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_cancel_check_ < kCancelCheckInterval) {
      alive_ = scope_->CheckDeadline();
      return;
    }
    last_cancel_check_ = now;
    alive_ = scope_->CheckAlive();
  }

  // Validates the slots' reports in one ValidateBatch call (per report when
  // the replica predates it). A report whose validation did not come back is
  // left "not validated": excluded, never guessed valid.
  void ValidateBatch(const std::vector<Slot*>& batch) {
    if (batch_unsupported_.load(std::memory_order_relaxed)) {
      for (Slot* slot : batch) ValidateOne(slot);
      return;
    }
    std::vector<absl::string_view> requests;
    requests.reserve(batch.size());
    for (const Slot* slot : batch) requests.push_back(slot->validate_request);
    absl::StatusOr<std::string> answer =
        backend_->ValidateBatchRaw(ValidateBatchRequestBytes(requests), scope_->deadline());
    if (!answer.ok() && answer.status().code() == absl::StatusCode::kUnimplemented) {
      batch_unsupported_.store(true, std::memory_order_relaxed);
      for (Slot* slot : batch) ValidateOne(slot);
      return;
    }
    for (Slot* slot : batch) slot->validate_request.clear();
    v1::ValidateBatchResponse response;
    if (!answer.ok() || !response.ParseFromString(*answer) ||
        response.results_size() != static_cast<int>(batch.size())) {
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      v1::ValidateBatchResult& result = *response.mutable_results(static_cast<int>(i));
      if (result.code() == 0) batch[i]->validation = std::move(*result.mutable_result());
    }
  }

  void ValidateOne(Slot* slot) {
    absl::StatusOr<std::string> answer =
        backend_->ValidateRaw(std::move(slot->validate_request), scope_->deadline());
    slot->validate_request.clear();
    v1::ValidateResponse response;
    if (answer.ok() && response.ParseFromString(*answer)) {
      slot->validation = std::move(*response.mutable_result());
    }
  }

  ChannelEngine* backend_;
  RpcScope* scope_;
  const size_t window_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable room_cv_;
  std::deque<Slot> slots_;      // input order; front = oldest not yet committed
  std::deque<Slot*> pending_;   // not yet picked by a worker
  std::deque<Slot*> to_validate_;  // parsed, waiting for a validate batch
  std::vector<std::unique_ptr<v1::AnnualReport>> free_reports_;
  std::chrono::steady_clock::time_point last_cancel_check_;
  // Set once a validate replica answered UNIMPLEMENTED to ValidateBatch.
  std::atomic<bool> batch_unsupported_{false};
  bool closed_ = false;
  absl::Status alive_;
  RollupBuilder builder_;
  int64_t committed_ = 0;
  int64_t failed_ = 0;
  int64_t not_validated_ = 0;
  std::vector<std::thread> workers_;
};

Slot DocumentSlot(v1::AggregateDocument document) {
  Slot slot;
  slot.source = document.file_name();
  slot.document = std::move(document);
  return slot;
}

Slot ReportSlot(const v1::AggregateReport& report) {
  Slot slot;
  slot.source = report.source().empty() ? report.report().source_name() : report.source();
  slot.content_sha256 = report.report().content_sha256();
  slot.report = std::make_unique<v1::AnnualReport>(report.report());
  slot.status = absl::OkStatus();
  return slot;
}

absl::Status OverLimit(int count, int max_items) {
  return absl::ResourceExhaustedError(absl::StrCat(
      count, " items is over the limit of ", max_items, " per call (--max_batch_items)"));
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
  const int max_items = runtime_->options().max_batch_items;
  OrderedRollup rollup(backend_, runtime_->options().aggregate_concurrency, &scope,
                       message.options(), divisions_);
  int count = 0;
  while (reader->Read(&message)) {
    ++count;
    if (count > max_items) return scope.Finish(OverLimit(count, max_items));
    switch (message.item_case()) {
      case v1::AggregateRequest::kDocument:
        if (message.document().document().empty()) {
          return scope.Finish(absl::InvalidArgumentError(
              absl::StrCat("item ", count, ": empty document")));
        }
        rollup.Add(DocumentSlot(std::move(*message.mutable_document())));
        break;
      case v1::AggregateRequest::kReport:
        rollup.Add(ReportSlot(message.report()));
        break;
      case v1::AggregateRequest::kOptions:
        return scope.Finish(absl::InvalidArgumentError(
            absl::StrCat("item ", count, ": `options` may only be the first message")));
      default:
        return scope.Finish(
            absl::InvalidArgumentError(absl::StrCat("item ", count, " is empty")));
    }
  }
  auto result = rollup.Finish();
  if (!result.ok()) return scope.Finish(result.status());
  *response->mutable_rollup() = *std::move(result);
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
    return scope.Finish(OverLimit(count, runtime_->options().max_batch_items));
  }
  for (int i = 0; i < request->documents_size(); ++i) {
    if (request->documents(i).document().empty()) {
      return scope.Finish(
          absl::InvalidArgumentError(absl::StrCat("documents[", i, "]: empty document")));
    }
  }
  OrderedRollup rollup(backend_, runtime_->options().aggregate_concurrency, &scope,
                       request->options(), divisions_);
  for (const auto& document : request->documents()) rollup.Add(DocumentSlot(document));
  for (const auto& report : request->reports()) rollup.Add(ReportSlot(report));
  auto result = rollup.Finish();
  if (!result.ok()) return scope.Finish(result.status());
  *response->mutable_rollup() = *std::move(result);
  return scope.Finish(absl::OkStatus());
}

grpc::Status GatewayParseService::Parse(grpc::ServerContext* context,
                                        const v1::ParseRequest* request,
                                        v1::ParseResponse* response) {
  RpcScope scope(runtime_, "Parse", context);
  if (!scope.admitted()) return scope.Finish(scope.admission());
  auto forwarded = backend_->ParseWithResponse(*request, scope.deadline());
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
  auto result = backend_->ValidateBefore(
      request->report(), request->has_previous() ? &request->previous() : nullptr,
      request->options(), scope.deadline());
  if (!result.ok()) return scope.Finish(result.status());
  *response->mutable_result() = *std::move(result);
  return scope.Finish(absl::OkStatus());
}

}  // namespace gongkai
