// Test support: child processes (redis-server, the server binaries) started
// by a test, their stderr captured to a file, stopped by PID. Also a free
// loopback TCP port.
//
// Thread-safety: one owner per object.
#ifndef GONGKAI_TESTS_SERVICES_TESTING_CHILD_PROCESS_H_
#define GONGKAI_TESTS_SERVICES_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gongkai::testing {

// A TCP port that was free on 127.0.0.1 a moment ago.
int FreePort();

class ChildProcess {
 public:
  // Starts argv[0] (a path) with stdout+stderr appended to `log_path`.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(
      const std::vector<std::string>& argv, const std::string& log_path);
  ~ChildProcess();  // SIGKILL + reap if still running

  pid_t pid() const { return pid_; }
  void Signal(int signal_number) const;
  // Waits for exit; returns the exit status (or 128+signal).
  int Wait();
  bool Running();

  // The whole log so far.
  std::string Log() const;
  // Waits until a log line contains every one of `needles`; returns it.
  // Errors: DEADLINE_EXCEEDED (with the log), or ABORTED if the process exited.
  absl::StatusOr<std::string> WaitForLogLine(const std::vector<std::string>& needles,
                                             absl::Duration timeout);

 private:
  ChildProcess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  pid_t pid_;
  std::string log_path_;
  bool reaped_ = false;
  int status_ = 0;
};

// The "port":N value of a JSON log line ({"msg":"listening","port":N}).
int PortFromLogLine(const std::string& line, const std::string& field = "port");

// A redis-server on a free loopback port, without persistence.
class RedisProcess {
 public:
  // `extra_args` e.g. {"--requirepass", "pw"}. Errors: the server did not
  // answer PING within 10 s.
  static absl::StatusOr<std::unique_ptr<RedisProcess>> Start(
      const std::string& log_dir, std::vector<std::string> extra_args = {});
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // SIGTERM and wait.
  void Stop();
  // Starts again on the same port (after Stop()).
  absl::Status Restart();
  ChildProcess& process() { return *process_; }

 private:
  absl::Status Launch();
  std::string log_dir_;
  std::vector<std::string> extra_args_;
  int port_ = 0;
  int launches_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// GET `path` from 127.0.0.1:`port` over HTTP/1.0; the whole response, or ""
// when the connection fails.
std::string HttpGet(int port, const std::string& path);

// The value of the sample line that starts with `series` (name and labels
// exactly as exported) in Prometheus text, or -1 when absent.
double MetricValue(const std::string& text, const std::string& series);

// A fresh directory under $TEST_TMPDIR or /tmp.
std::string MakeTempDir(const std::string& prefix);

// One gongkai server binary running on a free loopback port.
struct ServerProcess {
  std::unique_ptr<ChildProcess> process;
  std::string log;  // stdout+stderr of the server
  int port = 0;
  int metrics_port = 0;
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }
};

// Starts `binary_path` with --host=127.0.0.1 --port=0 --metrics_port=0
// --drain_seconds=0.3 and then `flags` (later flags win), logging to
// `log_path`, and waits up to 20 s for its "listening" line. Errors: the
// process could not start, exited, or never listened (with its log).
absl::StatusOr<ServerProcess> StartServerProcess(const std::string& binary_path,
                                                 const std::string& log_path,
                                                 const std::vector<std::string>& flags);

// Makes throw-away PEM files in `dir` with the openssl tool: ca.pem/ca.key,
// server.pem/server.key (CN and SAN localhost, IP 127.0.0.1) and
// client.pem/client.key (extendedKeyUsage clientAuth), all signed by the CA,
// valid one day. Errors: FAILED_PRECONDITION when /usr/bin/openssl is
// absent, INTERNAL when it fails (see dir/openssl.log).
absl::Status MakeTestCertificates(const std::string& dir);

}  // namespace gongkai::testing

#endif  // GONGKAI_TESTS_SERVICES_TESTING_CHILD_PROCESS_H_
