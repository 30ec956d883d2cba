#include "tests/services/testing/in_process_server.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"

namespace gongkai::testing {

ServerOptions InProcessServer::DefaultOptions() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.drain_seconds = 0;
  options.shutdown_grace_seconds = 1;
  return options;
}

InProcessServer::InProcessServer(ServerOptions options, std::vector<std::string> tokens)
    : options_(std::move(options)), runtime_(options_, &metrics_, std::move(tokens)) {}

InProcessServer::~InProcessServer() {
  server_.reset();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (runtime_.in_flight() != 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void InProcessServer::Start(const std::vector<grpc::Service*>& services) {
  auto server = GrpcServer::Start(options_, services);
  if (!server.ok()) {
    std::cerr << "cannot start the test server: " << server.status() << "\n";
    std::abort();
  }
  server_ = *std::move(server);
}

std::shared_ptr<grpc::Channel> InProcessServer::Channel() const {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel(address(), grpc::InsecureChannelCredentials(), args);
}

int HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  // HealthCheckRequest{service} is field 1 (string); the response's status
  // is field 1 (enum): encoded by hand to avoid generating health.proto.
  std::string request;
  if (!service.empty()) {
    request.push_back(0x0a);
    request.push_back(static_cast<char>(service.size()));
    request += service;
  }
  grpc::Slice slice(request);
  grpc::ByteBuffer buffer(&slice, 1);
  grpc::TemplatedGenericStub<grpc::ByteBuffer, grpc::ByteBuffer> stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::ByteBuffer reply;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &buffer,
                 &reply, [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  if (!status.ok()) return -static_cast<int>(status.error_code());
  std::vector<grpc::Slice> slices;
  reply.Dump(&slices);
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  if (bytes.size() >= 2 && bytes[0] == 0x08) return bytes[1];
  return 0;  // UNKNOWN (the default value is not encoded)
}

}  // namespace gongkai::testing
