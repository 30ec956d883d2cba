// HTML reader: synthetic pages (示例) and the archived pingtan portal pages.
#include "common/formats/html_reader.h"

#include <unicode/ucnv.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/formats/extract.h"
#include "gtest/gtest.h"
#include "tests/formats/grid_check.h"
#include "tests/parse/expected_cells.h"
#include "tests/formats/sample_report.h"

namespace gongkai {
namespace {

std::string ToGbk(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 2 + 16, '\0');
  int32_t n = ucnv_convert("GBK", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  out.resize(U_SUCCESS(status) ? n : 0);
  return out;
}

std::string Diagnostic(const ExtractedText& r, const std::string& code) {
  for (const auto& d : r.diagnostics) {
    if (d.code() == code) return d.message();
  }
  return "";
}

TEST(HtmlReaderTest, SampleReportPageGivesTheSameGridAsText) {
  auto blocks = testing::SampleReport();
  absl::StatusOr<ExtractedText> r = ReadHtml(testing::RenderHtml(blocks), {});
  ASSERT_TRUE(r.ok()) << r.status();
  // Title from <title> (portal suffix cut), article from the TRS_Editor div,
  // nav/script/footer dropped, rowspan/colspan and &nbsp; handled.
  EXPECT_EQ(r->text, testing::RenderText(blocks));
  EXPECT_EQ(Diagnostic(*r, "format.html.article"),
            "article text taken from the TRS_Editor element");
  EXPECT_EQ(Diagnostic(*r, "format.tables"), "6 table(s) rebuilt as grids");
  EXPECT_FALSE(absl::StrContains(r->text, "首页"));
  EXPECT_FALSE(absl::StrContains(r->text, "导航"));
  EXPECT_FALSE(absl::StrContains(r->text, "主办"));
}

TEST(HtmlReaderTest, GbkPageIsDecoded) {
  auto blocks = testing::SampleReport(1);
  std::string gbk = ToGbk(testing::RenderHtml(blocks, "gbk"));
  ASSERT_FALSE(gbk.empty());
  EXPECT_EQ(DeclaredHtmlCharset(gbk), "gbk");
  EXPECT_EQ(DetectContainer(gbk, "", ""), Container::kHtml);
  absl::StatusOr<ExtractedText> r = ExtractText(gbk, Container::kHtml, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, testing::RenderText(blocks));
  EXPECT_EQ(Diagnostic(*r, "format.html.charset"),
            "HTML decoded as GB18030 (page declares gbk)");
}

TEST(HtmlReaderTest, DeclaredCharsetForms) {
  EXPECT_EQ(DeclaredHtmlCharset("<meta charset='GB2312'>"), "gb2312");
  EXPECT_EQ(DeclaredHtmlCharset(
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb18030\">"),
            "gb18030");
  EXPECT_EQ(DeclaredHtmlCharset("<p>no declaration</p>"), "");
}

TEST(HtmlReaderTest, ArticleFoundWithoutTrsEditor) {
  std::string page =
      "<html><head><title>示例区政府信息公开工作年度报告 - 示例区政府</title></head><body>"
      "<div id=menu><a href=1>首页</a> <a href=2>机构概况</a> <a href=3>政务公开</a></div>"
      "<div id=side><p>热点</p><table><tr><td>日</td><td>一</td></tr><tr><td>1</td><td>2</td></tr></table></div>"
      "<div id=content><h2>示例区2023年政府信息公开工作年度报告</h2>"
      "<p>一、总体情况</p><p>本年度共收到申请12件，示例文字示例文字示例文字示例文字。</p>"
      "<p>二、主动公开政府信息情况</p><p>示例文字示例文字示例文字示例文字示例文字示例文字。</p>"
      "</div><div id=tables><table><tr><td>信息内容</td><td>本年处理决定数量</td></tr>"
      "<tr><td>行政许可</td><td>&nbsp;</td></tr><tr><td>行政处罚</td><td>5</td></tr>"
      "</table></div>"
      "<div id=foot>版权所有 示例区人民政府</div></body></html>";
  absl::StatusOr<ExtractedText> r = ReadHtml(page, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text,
            "示例区政府信息公开工作年度报告\n"
            "示例区2023年政府信息公开工作年度报告\n一、总体情况\n"
            "本年度共收到申请12件，示例文字示例文字示例文字示例文字。\n"
            "二、主动公开政府信息情况\n"
            "示例文字示例文字示例文字示例文字示例文字示例文字。\n"
            "信息内容\t本年处理决定数量\n行政许可\t\n行政处罚\t5\n");
  EXPECT_EQ(Diagnostic(*r, "format.html.article"),
            "article text taken from the element with the most paragraph text, "
            "plus 1 report table(s) outside it");
}

TEST(HtmlReaderTest, CaptionIsALineBeforeTheGrid) {
  absl::StatusOr<ExtractedText> r = ReadHtml(
      "<table><caption>第二十条第（五）项</caption><tr><td>行政许可</td><td>5</td></tr></table>", {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "第二十条第（五）项\n行政许可\t5\n");
}

TEST(HtmlReaderTest, ChromeTablesOutsideAnArticleWithTablesAreDropped) {
  std::string page =
      "<html><body><table class=nav><tr><td>政府信息公开</td><td>2024</td></tr></table>"
      "<div class=TRS_Editor><p>示例报告</p><table><tr><td>行政许可</td><td>7</td></tr>"
      "</table></div></body></html>";
  absl::StatusOr<ExtractedText> r = ReadHtml(page, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "示例报告\n行政许可\t7\n");
}

TEST(HtmlReaderTest, LayoutTablesAreReadAsParagraphs) {
  std::string page =
      "<table><tr><td><p>示例标题</p><table><tr><td>规章</td><td>0</td></tr></table>"
      "</td></tr></table>";
  absl::StatusOr<ExtractedText> r = ReadHtml(page, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "示例标题\n规章\t0\n");
}

TEST(HtmlReaderTest, DeepNestingIsRefused) {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<div>";
  deep += "示例";
  absl::StatusOr<ExtractedText> r = ReadHtml(deep, {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "max_nesting_depth"));
  // Pathological depth is refused before the HTML5 parser runs.
  std::string very_deep;
  for (int i = 0; i < 200000; ++i) very_deep += "<span>";
  r = ReadHtml(very_deep, {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  FormatLimits shallow;
  shallow.max_nesting_depth = 400;
  EXPECT_TRUE(ReadHtml(deep, shallow).ok());
}

TEST(HtmlReaderTest, HugeSpansHitTheCellLimit) {
  std::string page = "<table><tr><td rowspan=999999 colspan=999999>x</td></tr></table>";
  FormatLimits limits;
  absl::StatusOr<ExtractedText> r = ReadHtml(page, limits);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  std::string many = "<table>";
  for (int i = 0; i < 300; ++i) {
    many += "<tr>";
    for (int j = 0; j < 10; ++j) many += "<td>1</td>";
    many += "</tr>";
  }
  many += "</table>";
  limits.max_table_cells = 2000;
  EXPECT_EQ(ReadHtml(many, limits).status().code(),
            absl::StatusCode::kResourceExhausted);
  limits.max_table_cells = 3000;
  EXPECT_TRUE(ReadHtml(many, limits).ok());
}

TEST(HtmlReaderTest, ManyBlocksStayNearLinear) {
  // 100,000 paragraphs, each in its own div: the article scoring must not be
  // quadratic in the number of parents (ctest TIMEOUT guards it).
  std::string page = "<html><body><div class=x>";
  for (int i = 0; i < 100000; ++i) page += "<div><p>示例段落</p></div>";
  page += "</div></body></html>";
  absl::StatusOr<ExtractedText> r = ReadHtml(page, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->text.empty());
}

TEST(HtmlReaderTest, BadSpanAttributesAndUndecodableBytes) {
  absl::StatusOr<ExtractedText> r = ReadHtml(
      "<table><tr><td rowspan=-3 colspan=abc>a</td><td colspan='2;'>b</td></tr>"
      "<tr><td>1</td><td>2</td><td>3</td></tr></table>",
      {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "a\tb\t\n1\t2\t3\n");
  absl::StatusOr<ExtractedText> bad = ReadHtml(std::string("<p>\xFF\xFE\x00\x01</p>", 10), {});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

class PingtanHtmlTest : public ::testing::TestWithParam<const char*> {};

TEST_P(PingtanHtmlTest, EveryTableCellIsRight) {
  std::string stem = GetParam();
  std::string path = std::string(GONGKAI_SHARED_DIR) +
                     "/corpus/pingtan-gov-zwgk-archive/" + stem + ".html";
  absl::StatusOr<std::string> bytes = testing::ReadFile(path);
  if (!bytes.ok()) GTEST_SKIP() << "shared corpus absent: " << path;
  absl::StatusOr<testing::ExpectedReport> expected = testing::LoadExpected(
      std::string(GONGKAI_TESTDATA_DIR) + "/corpus_expected/" + stem + ".json");
  ASSERT_TRUE(expected.ok()) << expected.status();
  ASSERT_EQ(DetectContainer(*bytes, "", path), Container::kHtml);
  absl::StatusOr<ExtractedText> r = ExtractText(*bytes, Container::kHtml, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(absl::StartsWith(r->text, "平潭综合实验区"));
  EXPECT_EQ(Diagnostic(*r, "format.tables"), "3 table(s) rebuilt as grids");
  bool f2019 = absl::StrContains(stem, "2020");
  std::vector<std::string> problems =
      testing::GridMismatches(r->text, expected->cells, f2019);
  for (const std::string& p : problems) ADD_FAILURE() << p;
  // Site chrome is gone.
  EXPECT_FALSE(absl::StrContains(r->text, "版权所有"));
  EXPECT_FALSE(absl::StrContains(r->text, "网站标识码"));
  EXPECT_FALSE(absl::StrContains(r->text, "function("));
}

INSTANTIATE_TEST_SUITE_P(Corpus, PingtanHtmlTest,
                         ::testing::Values("pingtan_2020_80595_page",
                                           "pingtan_2022_80629_page"));

}  // namespace
}  // namespace gongkai
