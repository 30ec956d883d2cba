// ReportParser on bad input: a precise status, never a crash or a hang.
#include <string>

#include "absl/status/status.h"
#include "common/parse/parser.h"
#include "gtest/gtest.h"
#include "tests/parse/expected_cells.h"

namespace gongkai {
namespace {

absl::Status ParseStatus(const std::string& bytes, ParserOptions options = {}) {
  ReportParser parser(options);
  Document doc;
  doc.bytes = bytes;
  return parser.Parse(doc).status();
}

void ExpectInvalid(const std::string& bytes, const std::string& reason) {
  absl::Status s = ParseStatus(bytes);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find(reason), std::string::npos) << s;
  EXPECT_EQ(s.message().find('\n'), std::string::npos) << "one line: " << s;
}

TEST(ParserBadInputTest, Empty) { ExpectInvalid("", "empty input"); }

TEST(ParserBadInputTest, BinaryJunk) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
  absl::Status s = ParseStatus(junk);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
}

TEST(ParserBadInputTest, InvalidUtf8ThatIsNotGb18030) {
  ExpectInvalid("示例 \xFF\xFF 报告", "undecodable text");
}

TEST(ParserBadInputTest, TextWithoutTables) {
  ExpectInvalid("这是一段与年度报告无关的文字。\n没有任何表格。\n", "not an annual report");
  ExpectInvalid("一、总体情况\n二、主动公开政府信息情况\n无数据。\n", "not an annual report");
}

TEST(ParserBadInputTest, OverTheSizeLimit) {
  ParserOptions options;
  options.max_document_bytes = 1000;
  absl::Status s = ParseStatus(std::string(1001, 'a'), options);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
  EXPECT_NE(s.message().find("1001"), std::string::npos) << s;
}

TEST(ParserBadInputTest, LegacyDocAndPdfMagic) {
  absl::Status doc = ParseStatus(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) +
                                 std::string(600, '\0'));
  EXPECT_EQ(doc.code(), absl::StatusCode::kInvalidArgument) << doc;
  absl::Status pdf = ParseStatus("%PDF-1.4\n%garbage not a pdf\n");
  EXPECT_NE(pdf.code(), absl::StatusCode::kOk);
}

TEST(ParserBadInputTest, TruncatedReportKeepsWhatIsThere) {
  auto bytes = testing::ReadFile(std::string(GONGKAI_TESTDATA_DIR) + "/parse/pipe_示例.txt");
  ASSERT_TRUE(bytes.ok());
  // Cut inside table 三, in the middle of a multi-byte character.
  size_t cut = bytes->find("不掌握");
  ASSERT_NE(cut, std::string::npos);
  std::string truncated = bytes->substr(0, cut + 1);
  ReportParser parser;
  Document doc;
  doc.bytes = truncated;
  auto report = parser.Parse(doc);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->encoding(), "UTF-8");
  bool warned = false;
  for (const auto& d : report->diagnostics()) warned |= d.code() == "decode.truncated";
  EXPECT_TRUE(warned);
  for (const auto& cell : report->cells()) {
    if (cell.key() == "t3.new.total") {
      EXPECT_EQ(cell.value(), "33");
    }
    if (cell.key() == "t3.total.total" || cell.key() == "t4.review.total") {
      EXPECT_EQ(cell.state(), v1::CELL_STATE_MISSING) << cell.key();
    }
  }
  // Cut before any table: not a report.
  ExpectInvalid(bytes->substr(0, bytes->find("二、主动公开")), "not an annual report");
}

TEST(ParserBadInputTest, HostileRepetitionStaysBounded) {
  // Thousands of labels and a long digit run: finishes, flags, no crash.
  std::string t = "二、主动公开政府信息情况\n信息内容 本年制发件数\n规章 1 2 3\n"
                  "三、收到和处理政府信息公开申请情况\n";
  for (int i = 0; i < 3000; ++i) t += "（七）总计 予以公开 本年新收 ";
  t += "一、本年新收";
  for (int i = 0; i < 90; ++i) t.push_back('1' + i % 9);
  t += "\n四、政府信息公开行政复议、行政诉讼情况\n";
  for (int i = 0; i < 95; ++i) t.push_back('1' + i % 7);
  ReportParser parser;
  Document doc;
  doc.bytes = t;
  auto report = parser.Parse(doc);
  ASSERT_TRUE(report.ok()) << report.status();
  for (const auto& cell : report->cells()) {
    EXPECT_NE(cell.state(), v1::CELL_STATE_REPAIRED) << cell.key();
  }
}

TEST(ParserBadInputTest, ManyHeadingMarksOnOneLineStayLinear) {
  // A flattened page with a hundred thousand "N、" marks and labels but no
  // real heading keywords: every windowed search must stay local.
  std::string t;
  const char* pieces[] = {"一、", "二、", "六、", "总计", "予以公开", "本年新收", "0",
                          "12", "\t", "第二十条", "|", " ", "规章", "元", "."};
  uint32_t x = 12345;
  for (int i = 0; i < 300000; ++i) {
    x = x * 1103515245u + 12345u;
    t += pieces[(x >> 16) % 15];
  }
  ReportParser parser;
  Document doc;
  doc.bytes = t;
  auto report = parser.Parse(doc);
  // Junk may or may not yield cells; what matters is that it returns.
  if (!report.ok()) {
    EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace gongkai
