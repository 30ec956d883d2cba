// Runs the gongkai CLI as a process over the seeds, the corpus and bad input,
// and checks its stdout, stderr and exit code.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gongkai/v1/report.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the CLI with `args` (shell-quoted by the caller), capturing stdout and
// stderr (stderr through a temporary file).
RunResult RunCli(const std::string& args) {
  const std::string err_path =
      (fs::temp_directory_path() / ("gongkai_cli_err_" + std::to_string(getpid()))).string();
  const std::string command =
      absl::StrCat(GONGKAI_CLI, " ", args, " 2>", err_path, " </dev/null");
  RunResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.out.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_path);
  std::stringstream ss;
  ss << err.rdbuf();
  result.err = ss.str();
  fs::remove(err_path);
  return result;
}

std::string Quote(const std::string& path) { return "'" + path + "'"; }

bool HaveShared() { return fs::exists(fs::path(GONGKAI_SHARED_DIR) / "seeds"); }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Expected value of a seed cell as the `cells` output prints it.
std::string ExpectedValue(const google::protobuf::Value& value) {
  if (value.has_string_value()) return value.string_value();
  double number = value.number_value();
  std::ostringstream out;
  out.precision(15);
  out << number;
  return out.str();
}

TEST(CliTest, ParseSeedsGivesEveryExpectedCell) {
  if (!HaveShared()) GTEST_SKIP() << "../shared/seeds not present; skipping seed check";
  const fs::path seeds = fs::path(GONGKAI_SHARED_DIR) / "seeds";
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(seeds / "expected")) {
    google::protobuf::Struct expected;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(entry.path()), &expected).ok());
    const std::string source = expected.fields().at("source").string_value();
    std::map<std::string, bool> blank;
    for (const auto& key : expected.fields().at("blank_cells").list_value().values()) {
      blank[key.string_value()] = true;
    }
    RunResult run = RunCli("parse --output cells " + Quote((seeds / source).string()));
    ASSERT_EQ(run.exit_code, 0) << source << ": " << run.err;
    std::map<std::string, std::pair<std::string, std::string>> cells;
    for (absl::string_view line : absl::StrSplit(run.out, '\n', absl::SkipEmpty())) {
      std::vector<std::string> parts = absl::StrSplit(line, '\t');
      ASSERT_EQ(parts.size(), 3u) << line;
      cells[parts[0]] = {parts[1], parts[2]};
    }
    for (const auto& [key, value] : expected.fields().at("cells").struct_value().fields()) {
      SCOPED_TRACE(absl::StrCat(source, " ", key));
      auto it = cells.find(key);
      ASSERT_NE(it, cells.end());
      if (blank.count(key)) {
        EXPECT_EQ(it->second.second, "empty");
        EXPECT_EQ(it->second.first, "");
      } else {
        EXPECT_EQ(it->second.first, ExpectedValue(value));
        EXPECT_TRUE(it->second.second == "ok" || it->second.second == "repaired")
            << it->second.second;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5 * 205);
}

TEST(CliTest, ParseJsonIsTheReportProto) {
  if (!HaveShared()) GTEST_SKIP() << "../shared/seeds not present";
  const fs::path seed = fs::path(GONGKAI_SHARED_DIR) / "seeds" / "000_7aca508e0e60934a.txt";
  RunResult run = RunCli("parse --output json " + Quote(seed.string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  gongkai::v1::AnnualReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &report).ok());
  EXPECT_EQ(report.meta().organ(), "林口县");
  EXPECT_EQ(report.meta().year(), 2020);
  EXPECT_EQ(report.cells_size(), 198);
}

TEST(CliTest, ParsesEveryCorpusTextReport) {
  if (!HaveShared()) GTEST_SKIP() << "../shared/corpus not present";
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(GONGKAI_SHARED_DIR) / "corpus")) {
    if (entry.path().extension() != ".txt") continue;
    RunResult run = RunCli("parse --output cells " + Quote(entry.path().string()));
    EXPECT_EQ(run.exit_code, 0) << entry.path() << ": " << run.err;
    EXPECT_NE(run.out.find("meta.format\tF20"), std::string::npos) << entry.path();
  }
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gongkai_cli_bad_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  fs::path dir_;
};

// Each bad input exits 1 with exactly one line on stderr naming the file.
TEST_F(BadInputTest, EachGetsOneLineReasonAndExitOne) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
  const std::vector<std::string> files = {
      Write("empty.txt", ""),
      Write("junk.bin", junk),
      Write("prose.txt", "这是一段与年度报告无关的文字。\n没有任何表格。\n"),
      Write("bad-utf8.txt", std::string("\xff\xfe\xfd\x80\x81 \xc3\x28", 9)),
  };
  for (const std::string& file : files) {
    RunResult run = RunCli("parse " + Quote(file));
    EXPECT_EQ(run.exit_code, 1) << file << " stdout=" << run.out;
    EXPECT_NE(run.err.find(file), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
}

TEST_F(BadInputTest, MissingFileAndUsageErrors) {
  RunResult missing = RunCli("parse " + Quote((dir_ / "nope.txt").string()));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no such file"), std::string::npos) << missing.err;

  EXPECT_EQ(RunCli("").exit_code, 2);
  EXPECT_EQ(RunCli("frobnicate x").exit_code, 2);
  EXPECT_EQ(RunCli("parse --output yaml " + Quote(Write("a.txt", "x"))).exit_code, 2);
}

}  // namespace
