// RunSubprocess: real child processes (cat, true, sleep, yes).
#include "common/formats/subprocess.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(SubprocessTest, PipesInputThroughAndReportsExitCodes) {
  std::string input(1 << 20, 'x');  // larger than a pipe buffer
  input += "示例";
  absl::StatusOr<SubprocessResult> r = RunSubprocess({"cat"}, input, 10000, 4 << 20);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->stdout_data, input);
  r = RunSubprocess({"false"}, "", 10000, 1024);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 1);
  r = RunSubprocess({"cat", "/nonexistent/示例"}, "", 10000, 1024);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->exit_code, 0);
  EXPECT_TRUE(absl::StrContains(r->stderr_data, "No such file"));
}

TEST(SubprocessTest, ChildThatIgnoresItsInputDoesNotKillUs) {
  std::string input(8 << 20, 'x');
  absl::StatusOr<SubprocessResult> r = RunSubprocess({"true"}, input, 10000, 1024);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 0);
}

TEST(SubprocessTest, TimeoutKillsTheChild) {
  absl::StatusOr<SubprocessResult> r = RunSubprocess({"sleep", "30"}, "", 200, 1024);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "converter_timeout_ms"));
}

TEST(SubprocessTest, OutputCapKillsTheChild) {
  absl::StatusOr<SubprocessResult> r = RunSubprocess({"yes"}, "", 10000, 100000);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(SubprocessTest, MissingProgram) {
  absl::StatusOr<SubprocessResult> r =
      RunSubprocess({"gongkai-no-such-program"}, "", 1000, 1024);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(RunSubprocess({}, "", 1000, 1024).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gongkai
