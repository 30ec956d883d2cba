#include "common/formats/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace gongkai {
namespace {

constexpr size_t kMaxStderr = 64 * 1024;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  int get() const { return fd_; }
  int* put() { return &fd_; }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

absl::Status MakePipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe2: ", std::strerror(errno)));
  }
  *read_end->put() = fds[0];
  *write_end->put() = fds[1];
  return absl::OkStatus();
}

// Blocks SIGPIPE in this thread for the object's lifetime and drops a
// SIGPIPE raised meanwhile (a child that exits before reading all its input).
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~ScopedSigpipeBlock() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) && !sigismember(&old_, SIGPIPE)) {
      struct timespec zero = {0, 0};
      sigtimedwait(&set, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t old_;
};

}  // namespace

absl::StatusOr<SubprocessResult> RunSubprocess(
    const std::vector<std::string>& argv, absl::string_view input,
    int timeout_ms, size_t max_output_bytes) {
  if (argv.empty()) return absl::InvalidArgumentError("empty argv");
  Fd in_r, in_w, out_r, out_w, err_r, err_w;
  for (auto [r, w] : {std::pair{&in_r, &in_w}, std::pair{&out_r, &out_w},
                      std::pair{&err_r, &err_w}}) {
    absl::Status s = MakePipe(r, w);
    if (!s.ok()) return s;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_r.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.get(), 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  ScopedSigpipeBlock sigpipe_block;
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    if (rc == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat(argv[0], " not found on PATH (install poppler-utils)"));
    }
    return absl::InternalError(
        absl::StrCat("cannot start ", argv[0], ": ", std::strerror(rc)));
  }
  in_r.Close();
  out_w.Close();
  err_w.Close();
  fcntl(in_w.get(), F_SETFL, fcntl(in_w.get(), F_GETFL) | O_NONBLOCK);

  SubprocessResult result;
  size_t written = 0;
  if (input.empty()) in_w.Close();
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(timeout_ms);
  absl::Status failure;
  char buffer[64 * 1024];
  while (out_r.get() >= 0 || err_r.get() >= 0) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      failure = absl::ResourceExhaustedError(absl::StrCat(
          argv[0], " did not finish within ", timeout_ms,
          " ms (FormatLimits::converter_timeout_ms)"));
      break;
    }
    int wait_ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)
            .count()) + 1;
    struct pollfd fds[3];
    int n = 0;
    int in_slot = -1, out_slot = -1, err_slot = -1;
    if (in_w.get() >= 0) {
      fds[n] = {in_w.get(), POLLOUT, 0};
      in_slot = n++;
    }
    if (out_r.get() >= 0) {
      fds[n] = {out_r.get(), POLLIN, 0};
      out_slot = n++;
    }
    if (err_r.get() >= 0) {
      fds[n] = {err_r.get(), POLLIN, 0};
      err_slot = n++;
    }
    int ready = poll(fds, n, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      failure = absl::InternalError(absl::StrCat("poll: ", std::strerror(errno)));
      break;
    }
    if (in_slot >= 0 && fds[in_slot].revents != 0) {
      ssize_t w = write(in_w.get(), input.data() + written, input.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if ((w < 0 && errno != EAGAIN && errno != EINTR) ||
          written == input.size()) {
        in_w.Close();  // done, or the child stopped reading (EPIPE)
      }
    }
    if (out_slot >= 0 && fds[out_slot].revents != 0) {
      ssize_t r = read(out_r.get(), buffer, sizeof(buffer));
      if (r > 0) {
        if (result.stdout_data.size() + static_cast<size_t>(r) > max_output_bytes) {
          failure = absl::ResourceExhaustedError(absl::StrCat(
              argv[0], " produced more than ", max_output_bytes, " bytes"));
          break;
        }
        result.stdout_data.append(buffer, static_cast<size_t>(r));
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        out_r.Close();
      }
    }
    if (err_slot >= 0 && fds[err_slot].revents != 0) {
      ssize_t r = read(err_r.get(), buffer, sizeof(buffer));
      if (r > 0) {
        size_t room = kMaxStderr - std::min(kMaxStderr, result.stderr_data.size());
        result.stderr_data.append(buffer, std::min(room, static_cast<size_t>(r)));
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        err_r.Close();
      }
    }
  }
  in_w.Close();
  int status = 0;
  if (failure.ok()) {
    // Output closed; the child may still be running (it closed its pipes
    // but did not exit): wait for it within the same budget.
    while (true) {
      pid_t done = waitpid(pid, &status, WNOHANG);
      if (done == pid) break;
      if (done < 0 && errno != EINTR) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        failure = absl::ResourceExhaustedError(absl::StrCat(
            argv[0], " did not exit within ", timeout_ms,
            " ms (FormatLimits::converter_timeout_ms)"));
        break;
      }
      struct timespec pause = {0, 2 * 1000 * 1000};
      nanosleep(&pause, nullptr);
    }
  }
  if (!failure.ok()) {
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return failure;
  }
  result.exit_code = WIFEXITED(status)     ? WEXITSTATUS(status)
                     : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                           : -1;
  return result;
}

}  // namespace gongkai
