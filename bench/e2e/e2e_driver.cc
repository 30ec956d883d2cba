// e2e_driver: the end-to-end load of issue 8. Streams N generated reports
// (or the report files of a corpus directory) through one
// AggregateService.Aggregate call and prints one `name value` line per
// figure: reports, wall seconds, reports/s, and the outcome counts.
//
//   e2e_driver --target HOST:PORT --count N [--seed S] [--corpus DIR]
//              [--pregenerate] [--ready_seconds 30] [--deadline_seconds 600]
//
// Without --corpus, reports are generated in this process: with
// --pregenerate before the clock starts (costs memory here, none of the
// servers' CPU), otherwise while streaming. Exit: 0 when the call succeeded,
// 1 on an RPC error, 2 on bad flags.
#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "gongkai/v1/aggregate_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "tools/corpusgen/corpus_generator.h"

namespace {

namespace pb = ::gongkai::v1;

struct Flags {
  std::string target;
  uint64_t count = 0;
  uint64_t seed = 1;
  std::string corpus;
  bool pregenerate = false;
  int ready_seconds = 30;
  int deadline_seconds = 600;
};

int Usage(const std::string& why) {
  std::fprintf(stderr,
               "e2e_driver: %s\nusage: e2e_driver --target HOST:PORT --count N [--seed S] "
               "[--corpus DIR] [--pregenerate] [--ready_seconds 30] [--deadline_seconds 600]\n",
               why.c_str());
  return 2;
}

std::vector<std::string> CorpusFiles(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name[0] == '.' || absl::EndsWith(name, ".expected.json")) continue;
      files.push_back(dir + "/" + name);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--pregenerate") {
      flags.pregenerate = true;
      continue;
    }
    if (i + 1 >= argc) return Usage("missing value for " + flag);
    const std::string value = argv[++i];
    bool ok = true;
    if (flag == "--target") {
      flags.target = value;
    } else if (flag == "--count") {
      ok = absl::SimpleAtoi(value, &flags.count);
    } else if (flag == "--seed") {
      ok = absl::SimpleAtoi(value, &flags.seed);
    } else if (flag == "--corpus") {
      flags.corpus = value;
    } else if (flag == "--ready_seconds") {
      ok = absl::SimpleAtoi(value, &flags.ready_seconds);
    } else if (flag == "--deadline_seconds") {
      ok = absl::SimpleAtoi(value, &flags.deadline_seconds);
    } else {
      return Usage("unknown flag " + flag);
    }
    if (!ok) return Usage("bad value for " + flag);
  }
  if (flags.target.empty()) return Usage("--target is required");

  std::vector<std::string> files;
  if (!flags.corpus.empty()) {
    files = CorpusFiles(flags.corpus);
    if (flags.count == 0 || flags.count > files.size()) flags.count = files.size();
  }
  if (flags.count == 0) return Usage("--count is required (or a non-empty --corpus)");

  grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(64 << 20);
  args.SetMaxReceiveMessageSize(512 << 20);
  auto channel =
      grpc::CreateCustomChannel(flags.target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(flags.ready_seconds))) {
    std::fprintf(stderr, "e2e_driver: %s not reachable within %d s\n", flags.target.c_str(),
                 flags.ready_seconds);
    return 1;
  }
  auto stub = pb::AggregateService::NewStub(channel);

  gongkai::corpusgen::GeneratorOptions gen_options;
  gen_options.seed = flags.seed;
  gen_options.with_oracle = false;  // only the bytes are sent
  gongkai::corpusgen::CorpusGenerator generator(gen_options);
  auto make_request = [&](uint64_t i) {
    pb::AggregateRequest request;
    pb::AggregateDocument* doc = request.mutable_document();
    if (!files.empty()) {
      std::ifstream in(files[i], std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      doc->set_document(bytes.str());
      doc->set_file_name(files[i].substr(files[i].rfind('/') + 1));
    } else {
      gongkai::corpusgen::GeneratedReport report = generator.Generate(i);
      doc->set_document(std::move(report.bytes));
      doc->set_file_name(report.name);
    }
    return request;
  };
  std::vector<pb::AggregateRequest> ready;
  if (flags.pregenerate && files.empty()) {
    ready.reserve(flags.count);
    for (uint64_t i = 0; i < flags.count; ++i) ready.push_back(make_request(i));
  }

  pb::AggregateOptions options;
  options.set_include_all_levels(true);
  options.set_include_departments(true);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(flags.deadline_seconds));
  pb::AggregateResponse response;
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<grpc::ClientWriter<pb::AggregateRequest>> writer =
      stub->Aggregate(&context, &response);
  pb::AggregateRequest first;
  *first.mutable_options() = options;
  bool writing = writer->Write(first);
  uint64_t bytes = 0, sent = 0;
  for (uint64_t i = 0; writing && i < flags.count; ++i) {
    pb::AggregateRequest request = ready.empty() ? make_request(i) : std::move(ready[i]);
    bytes += request.document().document().size();
    writing = writer->Write(request);
    if (writing) ++sent;
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status.ok()) {
    std::fprintf(stderr, "e2e_driver: Aggregate failed after %llu documents: %d %s\n",
                 static_cast<unsigned long long>(sent), static_cast<int>(status.error_code()),
                 status.error_message().c_str());
    std::printf("e2e_rpc_error_code %d\n", static_cast<int>(status.error_code()));
    return 1;
  }
  std::map<std::string, int> reasons;
  int included = 0;
  for (const auto& outcome : response.rollup().reports()) {
    if (outcome.included()) {
      ++included;
    } else {
      ++reasons[pb::ExclusionReason_Name(outcome.reason())];
    }
  }
  std::printf("e2e_reports %llu\n", static_cast<unsigned long long>(sent));
  std::printf("e2e_input_MB %.1f\n", bytes / 1e6);
  std::printf("e2e_wall_s %.2f\n", seconds);
  std::printf("e2e_reports_per_s %.0f\n", sent / seconds);
  std::printf("e2e_outcomes %d\n", response.rollup().reports_size());
  std::printf("e2e_included %d\n", included);
  for (const auto& [reason, n] : reasons) std::printf("e2e_excluded_%s %d\n", reason.c_str(), n);
  std::printf("e2e_regions %d\n", response.rollup().regions_size());
  // A digest of the totals, to check that a change left them as they were.
  std::string totals;
  for (const auto& region : response.rollup().regions()) totals += region.SerializeAsString();
  std::printf("e2e_totals_digest %016zx\n", std::hash<std::string>()(totals));
  return 0;
}
