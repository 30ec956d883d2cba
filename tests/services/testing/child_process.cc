#include "tests/services/testing/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace gongkai::testing {

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t length = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string HttpGet(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "";
  }
  const std::string request = absl::StrCat("GET ", path, " HTTP/1.0\r\n\r\n");
  ::send(fd, request.data(), request.size(), 0);
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0) response.append(buffer, n);
  ::close(fd);
  return response;
}

double MetricValue(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.size() > series.size() && line.substr(0, series.size()) == series &&
        line[series.size()] == ' ') {
      double value = 0;
      if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) return value;
    }
  }
  return -1;
}

std::string MakeTempDir(const std::string& prefix) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern = absl::StrCat(base != nullptr ? base : "/tmp", "/", prefix, "XXXXXX");
  char* made = ::mkdtemp(pattern.data());
  return made != nullptr ? std::string(made) : std::string("/tmp");
}

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::string& log_path) {
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return absl::InternalError(absl::StrCat("cannot open ", log_path));
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    return absl::InternalError("fork failed");
  }
  if (pid == 0) {
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log_fd);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, log_path));
}

ChildProcess::~ChildProcess() {
  if (Running()) {
    ::kill(pid_, SIGKILL);
    Wait();
  }
}

void ChildProcess::Signal(int signal_number) const { ::kill(pid_, signal_number); }

int ChildProcess::Wait() {
  if (!reaped_) {
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

bool ChildProcess::Running() {
  if (reaped_) return false;
  pid_t done = ::waitpid(pid_, &status_, WNOHANG);
  if (done == pid_) reaped_ = true;
  return !reaped_;
}

std::string ChildProcess::Log() const {
  std::ifstream in(log_path_);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

absl::StatusOr<std::string> ChildProcess::WaitForLogLine(
    const std::vector<std::string>& needles, absl::Duration timeout) {
  const absl::Time end = absl::Now() + timeout;
  while (true) {
    for (absl::string_view line : absl::StrSplit(Log(), '\n')) {
      bool all = true;
      for (const std::string& needle : needles) all = all && line.find(needle) != line.npos;
      if (all) return std::string(line);
    }
    if (!Running()) return absl::AbortedError(absl::StrCat("process exited; log:\n", Log()));
    if (absl::Now() > end) {
      return absl::DeadlineExceededError(absl::StrCat("no such log line; log:\n", Log()));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

int PortFromLogLine(const std::string& line, const std::string& field) {
  const std::string key = absl::StrCat("\"", field, "\":");
  size_t at = line.find(key);
  if (at == std::string::npos) return 0;
  at += key.size();
  size_t end = at;
  while (end < line.size() && (std::isdigit(static_cast<unsigned char>(line[end])) || line[end] == '-')) ++end;
  int port = 0;
  return absl::SimpleAtoi(line.substr(at, end - at), &port) ? port : 0;
}

absl::StatusOr<std::unique_ptr<RedisProcess>> RedisProcess::Start(
    const std::string& log_dir, std::vector<std::string> extra_args) {
  auto redis = std::make_unique<RedisProcess>();
  redis->log_dir_ = log_dir;
  redis->extra_args_ = std::move(extra_args);
  redis->port_ = FreePort();
  if (absl::Status launched = redis->Launch(); !launched.ok()) return launched;
  return redis;
}

absl::Status RedisProcess::Launch() {
  std::vector<std::string> argv = {"/usr/bin/redis-server", "--port", std::to_string(port_),
                                   "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  auto process = ChildProcess::Start(
      argv, absl::StrCat(log_dir_, "/redis-", port_, "-", ++launches_, ".log"));
  if (!process.ok()) return process.status();
  process_ = *std::move(process);
  auto ready = process_->WaitForLogLine({"Ready to accept connections"}, absl::Seconds(10));
  return ready.ok() ? absl::OkStatus() : ready.status();
}

void RedisProcess::Stop() {
  if (process_ == nullptr) return;
  process_->Signal(SIGTERM);
  process_->Wait();
}

absl::Status RedisProcess::Restart() {
  Stop();
  return Launch();
}

absl::StatusOr<ServerProcess> StartServerProcess(const std::string& binary_path,
                                                 const std::string& log_path,
                                                 const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {binary_path, "--host=127.0.0.1", "--port=0",
                                   "--metrics_port=0", "--drain_seconds=0.3"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  ServerProcess server;
  server.log = log_path;
  auto process = ChildProcess::Start(argv, log_path);
  if (!process.ok()) return process.status();
  server.process = *std::move(process);
  auto line = server.process->WaitForLogLine({"\"msg\":\"listening\""}, absl::Seconds(20));
  if (!line.ok()) return line.status();
  server.port = PortFromLogLine(*line);
  server.metrics_port = PortFromLogLine(*line, "metrics_port");
  return server;
}

absl::Status MakeTestCertificates(const std::string& dir) {
  if (access("/usr/bin/openssl", X_OK) != 0) {
    return absl::FailedPreconditionError("/usr/bin/openssl is absent");
  }
  const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  const std::string script = absl::StrCat(
      "cd '", dir, "' && (",
      "openssl req -x509 ", key, " -keyout ca.key -out ca.pem -days 1 -subj '/CN=gongkai test CA' && ",
      "openssl req ", key, " -keyout server.key -out server.csr -subj '/CN=localhost' && ",
      "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > server.ext && ",
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial ",
      "-out server.pem -days 1 -extfile server.ext && ",
      "openssl req ", key, " -keyout client.key -out client.csr -subj '/CN=gongkai client' && ",
      "printf 'extendedKeyUsage=clientAuth\\n' > client.ext && ",
      "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial ",
      "-out client.pem -days 1 -extfile client.ext",
      ") > openssl.log 2>&1");
  if (std::system(script.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("openssl failed; see ", dir, "/openssl.log"));
  }
  return absl::OkStatus();
}

}  // namespace gongkai::testing
