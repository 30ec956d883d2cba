// Unit tests for the parser's stages: numbers, field reading per layout,
// sections, title metadata, format detection, row anchors, page footers.
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/parse/fields.h"
#include "common/parse/layout.h"
#include "common/report/template.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

std::vector<std::string> Texts(const FieldGroup& g) {
  std::vector<std::string> out;
  for (const Field& f : g.fields) out.push_back(f.blank ? "_" : f.number.text);
  return out;
}

std::string Joined(const FieldGroup& g) { return absl::StrJoin(Texts(g), "|"); }

TEST(NumbersTest, SeparatorsSignsDecimalsUnits) {
  auto n = ParseCellNumber("33,764");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->value.ToString(), "33764");
  EXPECT_EQ(ParseCellNumber("209,512.943")->value.ToString(), "209512.943");
  EXPECT_EQ(ParseCellNumber("-27")->value.ToString(), "-27");
  auto plus = ParseCellNumber("+1036");
  EXPECT_EQ(plus->text, "1036");
  EXPECT_EQ(plus->value.ToString(), "1036");
  auto wan = ParseCellNumber("10807.1713 万元");
  ASSERT_TRUE(wan);
  EXPECT_TRUE(wan->wan);
  EXPECT_FALSE(wan->yuan);
  EXPECT_EQ(wan->value.ToString(), "10807.1713");
  auto yuan = ParseCellNumber("73802895.90元");
  ASSERT_TRUE(yuan);
  EXPECT_TRUE(yuan->yuan);
  EXPECT_EQ(yuan->value.Scaled(-4)->ToString(), "7380.28959");
  auto ocr = ParseCellNumber("Ů");
  ASSERT_TRUE(ocr);
  EXPECT_TRUE(ocr->ocr_zero);
  EXPECT_EQ(ocr->text, "0");
}

// Plain digit cells (the fast path, up to 10 digits) are valued as
// Decimal::Parse values them, leading zeros and the largest included; longer
// ones take the general path.
TEST(NumbersTest, PlainDigitsValuedAsDecimalParse) {
  for (const char* digits : {"0", "7", "00", "012", "1036", "33764", "9999999999",
                             "0000000001", "1234567890", "12345678901"}) {
    SCOPED_TRACE(digits);
    auto n = ParseCellNumber(digits);
    auto expected = Decimal::Parse(digits);
    ASSERT_EQ(n.has_value(), expected.has_value());
    if (!n) continue;
    EXPECT_EQ(n->value, *expected);
    EXPECT_EQ(n->text, digits);
    EXPECT_FALSE(n->overflow);
  }
  auto run = ParseCellNumber("99999999999");  // past Decimal's range: a glued run
  ASSERT_TRUE(run);
  EXPECT_TRUE(run->overflow);
  auto spaced = ParseCellNumber("  42 ");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->value, Decimal::FromInt(42));
  EXPECT_FALSE(ParseCellNumber("12a4"));
}

TEST(NumbersTest, RejectsLabelsAndBadSeparators) {
  EXPECT_FALSE(ParseCellNumber(""));
  EXPECT_FALSE(ParseCellNumber("规章"));
  EXPECT_FALSE(ParseCellNumber("1,2"));
  EXPECT_FALSE(ParseCellNumber("12,34,567"));
  EXPECT_FALSE(ParseCellNumber("1."));
  EXPECT_FALSE(ParseCellNumber("-"));
  EXPECT_FALSE(ParseCellNumber("万元"));
}

TEST(FieldsTest, TabsKeepBlankCells) {
  const std::string t = "（一）予以公开\t258\t12\t\t\t1\t1\t";
  auto groups = ReadFieldGroups(t, 0, t.size());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].separated);
  EXPECT_EQ(Joined(groups[0]), "258|12|_|_|1|1|_");
}

TEST(FieldsTest, PipeAndMarkdown) {
  const std::string t = "| 规章 | 1 | 0 | 3 |\n|---|---|---|---|\n| x | 4 | | 6 |";
  auto groups = ReadFieldGroups(t, 0, t.size());
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(Joined(groups[0]), "1|0|3");
  EXPECT_EQ(Joined(groups[1]), "4|_|6");
}

TEST(FieldsTest, AlignedColumnsAndUnitToken) {
  const std::string t = "一、本年新收申请数量      21    0      0     0   0   0     21\n"
                        "政府集中采购   271   10807.1713 万元";
  auto groups = ReadFieldGroups(t, 0, t.size());
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_FALSE(groups[0].separated);
  EXPECT_EQ(Joined(groups[0]), "21|0|0|0|0|0|21");
  EXPECT_EQ(Joined(groups[1]), "271|10807.1713");
  EXPECT_TRUE(groups[1].fields[1].number.wan);
}

TEST(FieldsTest, GluedRunDropsNextLabelsEnumerator) {
  const std::string t = "相关政府信息4910000502.没有";
  auto groups = ReadFieldGroups(t, 0, t.size());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(Joined(groups[0]), "491000050");
  EXPECT_TRUE(groups[0].fields[0].glued);
  // A lone enumerator is not a number.
  const std::string e = "\t1. 属于国家秘密";
  EXPECT_TRUE(ReadFieldGroups(e, 0, e.size()).empty());
}

TEST(FieldsTest, SignsSplitGluedNumbersAndProseIsSkipped) {
  const std::string t = "行政处罚2648-18538";
  auto groups = ReadFieldGroups(t, 0, t.size());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(Joined(groups[0]), "2648|-18538");
  const std::string prose = "共受理申请859件，较2019年下降12.3%，第3条";
  EXPECT_TRUE(ReadFieldGroups(prose, 0, prose.size()).empty());
}

// Each unit of IsProseQuantity after a number makes it prose; a character
// that is no unit, or 万元 (a money cell), keeps it.
TEST(FieldsTest, EveryProseUnitMakesANumberProse) {
  for (const char* unit : {"年", "月", "日", "号", "%", "条", "项", "/", "件", "个", "次", "人",
                           "家", "余", "倍", "天", "份", "篇", "期", "场", "名", "岁", "小时",
                           "万"}) {
    const std::string t = std::string("共计12") + unit + "，完成";
    EXPECT_TRUE(ReadFieldGroups(t, 0, t.size()).empty()) << t;
  }
  for (const char* kept : {"时", "小组", "总计"}) {
    const std::string t = std::string("共计12") + kept;
    auto groups = ReadFieldGroups(t, 0, t.size());
    ASSERT_EQ(groups.size(), 1u) << t;
    EXPECT_EQ(Joined(groups[0]), "12") << t;
  }
  const std::string money = "金额12万元";
  auto groups = ReadFieldGroups(money, 0, money.size());
  ASSERT_EQ(groups.size(), 1u);
  ASSERT_EQ(groups[0].fields.size(), 1u);
  EXPECT_TRUE(groups[0].fields[0].number.wan);
}

TEST(FieldsTest, LongRunIsKeptForSplitting) {
  const std::string t = "总计10203120001200000";
  auto groups = ReadFieldGroups(t, 0, t.size());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].fields[0].number.overflow);
  EXPECT_EQ(groups[0].fields[0].number.text, "10203120001200000");
}

TEST(SectionsTest, MarkdownTyposAndFlattenedLines) {
  const std::string t =
      "# 示例县2020年政府信息公开工作年度报告\n"
      "## 一、总体情况\n文字（二）依申请公开情况\n"
      "## **二、主动公开政府信息情况**\n表\n"
      "三、收到和处理政府信息公开申请情况 一、本年新收 四、结转下年度继续办理0 0 0"
      "四、政府信息公开行政法复议、行政诉讼情况 表 "
      "五、存在的主要问题及改进情况\n文字\n六、2021年工作思路\n文字";
  auto s = FindSections(t);
  ASSERT_EQ(s.size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(s[i].number, i + 1);
  EXPECT_EQ(t.substr(s[1].begin, s[1].end - s[1].begin), "二、主动公开政府信息情况");
  EXPECT_EQ(t.substr(s[3].begin, s[3].end - s[3].begin),
            "四、政府信息公开行政法复议、行政诉讼情况");
  EXPECT_EQ(t.substr(s[5].begin, 6), "六、");
}

TEST(SectionsTest, MissingSectionsAreSkipped) {
  auto s = FindSections("一、总体情况\n三、收到和处理政府信息公开申请情况\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].number, 1);
  EXPECT_EQ(s[1].number, 3);
}

TEST(TitleTest, OrganAndYearInEveryPosition) {
  EXPECT_EQ(ReadTitle("\n# 林口县 2020 年政府信息公开工作年度报告\n").organ, "林口县");
  TitleInfo a = ReadTitle("2020 年汤旺县政府信息公开工作 年度报告\n");
  EXPECT_EQ(a.organ, "汤旺县");
  EXPECT_EQ(a.year, 2020);
  TitleInfo b = ReadTitle("      洪泽区人民政府\n   2023 年政府信息公开工作年度报告\n");
  EXPECT_EQ(b.organ, "洪泽区人民政府");
  EXPECT_EQ(b.year, 2023);
  TitleInfo c = ReadTitle("标题: 平潭综合实验区2021年度政府信息公开工作年度报告\n");
  EXPECT_EQ(c.organ, "平潭综合实验区");
  EXPECT_EQ(c.year, 2021);
}

TEST(TitleTest, YearFromStatisticsPeriod) {
  TitleInfo t = ReadTitle(
      "示例局政府信息公开工作年度报告\n本报告所列数据统计期限自 2022 年 1 月 1 日\n"
      "起至 2022 年 12 月 31 日止。\n");
  EXPECT_EQ(t.organ, "示例局");
  EXPECT_EQ(t.year, 2022);
  EXPECT_EQ(t.statistics_period, "自2022年1月1日起至2022年12月31日止");
}

TEST(FormatTest, DetectedFromTableTwoLabels) {
  const std::string f2019 = "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量";
  const std::string f2021 = "信息内容 本年制发件数 本年废止件数 现行有效件数";
  const std::string spaced = "信息内容 本年新 公开数量 上一年项目数量";
  EXPECT_EQ(DetectFormat(f2019, 0, f2019.size()), v1::REPORT_FORMAT_F2019);
  EXPECT_EQ(DetectFormat(f2021, 0, f2021.size()), v1::REPORT_FORMAT_F2021);
  EXPECT_EQ(DetectFormat(spaced, 0, spaced.size()), v1::REPORT_FORMAT_F2019);
  EXPECT_EQ(DetectFormat("规章 0 0 0", 0, 10), v1::REPORT_FORMAT_UNSPECIFIED);
}

std::vector<std::string> AnchorRows(const std::string& t) {
  std::vector<std::string> out;
  for (const RowAnchor& a : FindT3Anchors(t, 0, t.size())) {
    out.push_back(T3AnchorRows()[a.row]);
  }
  return out;
}

TEST(AnchorsTest, OcrDamagedLabelsStillMatchInOrder) {
  // From seed 001: header 总计 first, labels cut mid-word, "(六) 其", "四、纟".
  const std::string t =
      "申请人情况 总计\n一、本年新收政府信息公开申请数量\t0\n"
      "\t\t2. 其他法律行政法规禁\t0\n\t\t止公开\n"
      "\t(四) 无法提 供\t1. 本机关不掌握相关政\t0\n"
      "\t(六) 其\t\t0\n(七)总计\t\t0\n四、纟\t四、结转下年度继续办理\t0\n";
  EXPECT_EQ(absl::StrJoin(AnchorRows(t), ","),
            "new,denied.prohibited,unavailable.not_held,other,total,carried_forward");
}

TEST(AnchorsTest, TypoAndThreeRowOther) {
  const std::string t =
      "2.其他法律行政止公开 0\n（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理 0\n"
      "2.申请人逾期未按收费通知要求缴纳费用 0\n3.其他 0\n（七）总计 0";
  EXPECT_EQ(absl::StrJoin(AnchorRows(t), ","),
            "denied.prohibited,other,other.overdue_correction,other.unpaid_fee,"
            "other.other,total");
}

TEST(AnchorsTest, NeverOutOfFormOrder) {
  // A stray "予以公开" after the total cannot become the granted row.
  const std::string t = "一、本年新收 1\n（七）总计 1\n另有予以公开 5\n四、结转下年度继续办理 0";
  EXPECT_EQ(absl::StrJoin(AnchorRows(t), ","), "new,total,carried_forward");
}

TEST(TableTwoAnchorsTest, RowsOfEachFormat) {
  const std::string t = "规章\t0\n规范性文件\t1\n行政许可\t2\n其他对外管理服务事项\t3\n政府集中采购\t4";
  auto a = FindT2Anchors(t, 0, t.size(), v1::REPORT_FORMAT_F2019);
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(T2Rows(v1::REPORT_FORMAT_F2019)[a[3].row].stem, "t2.other_services");
  EXPECT_EQ(T2Rows(v1::REPORT_FORMAT_F2019)[a[4].row].stem, "t2.procurement");
  const std::string u = "规章 000行政规范性文件693665";
  auto b = FindT2Anchors(u, 0, u.size(), v1::REPORT_FORMAT_F2021);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(T2Rows(v1::REPORT_FORMAT_F2021)[b[1].row].stem, "t2.normative");
}

TEST(FootersTest, PageNumbersBlankedInPlace) {
  std::string t = "行一 1\n                 -3-\n  - 12 -\n第4页\n行二 2 -3- 4\n";
  const size_t size = t.size();
  BlankPageFooters(&t);
  EXPECT_EQ(t.size(), size);
  EXPECT_EQ(t.find("-3-\n"), std::string::npos);
  EXPECT_EQ(t.find("12"), std::string::npos);
  EXPECT_EQ(t.find("第4页"), std::string::npos);
  EXPECT_NE(t.find("行二 2 -3- 4"), std::string::npos);  // not a footer line
}

}  // namespace
}  // namespace gongkai
