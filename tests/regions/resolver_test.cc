#include "common/regions/resolver.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "common/regions/division_table.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

namespace v1 = ::gongkai::v1;

class ResolverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = RegionResolver::LoadDefault();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    resolver_ = loaded->release();
  }
  static void TearDownTestSuite() {
    delete resolver_;
    resolver_ = nullptr;
  }

  static v1::AnnualReport Report(const std::string& organ, int year,
                                 const std::string& overview = "") {
    v1::AnnualReport report;
    report.mutable_meta()->set_organ(organ);
    report.mutable_meta()->set_year(year);
    report.mutable_meta()->set_title(organ + std::to_string(year) + "年政府信息公开工作年度报告");
    if (!overview.empty()) {
      v1::Section* section = report.add_sections();
      section->set_number(1);
      section->set_heading("一、总体情况");
      section->set_text(overview);
    }
    return report;
  }

  static v1::AnnualReport Resolved(v1::AnnualReport report, const std::string& stated = "") {
    resolver_->Resolve(stated, &report);
    return report;
  }

  static RegionResolver* resolver_;
};

RegionResolver* ResolverTest::resolver_ = nullptr;

TEST_F(ResolverTest, UniqueCounty) {
  v1::AnnualReport report = Resolved(Report("林口县", 2020));
  EXPECT_EQ(report.meta().region_code(), "231025");
  EXPECT_EQ(report.meta().province(), "黑龙江省");
  EXPECT_EQ(report.meta().city(), "牡丹江市");
  EXPECT_EQ(report.meta().county(), "林口县");
  EXPECT_EQ(report.meta().region_confidence(), 1.0);
  EXPECT_EQ(report.meta().body_kind(), v1::BODY_KIND_GOVERNMENT);
  EXPECT_EQ(report.meta().body_level(), v1::REGION_LEVEL_COUNTY);
  EXPECT_FALSE(report.meta().region_evidence().empty());
}

TEST_F(ResolverTest, CityNamedWithTheDistrictDecides) {
  v1::AnnualReport report = Resolved(Report("牡丹江市西安区", 2020));
  EXPECT_EQ(report.meta().region_code(), "231005");
  EXPECT_EQ(report.meta().city(), "牡丹江市");
  EXPECT_EQ(report.meta().county(), "西安区");
  EXPECT_EQ(report.meta().region_confidence(), 1.0);
}

TEST_F(ResolverTest, SameNamedDistrictChosenByCitedDocuments) {
  v1::AnnualReport mudanjiang = Resolved(Report(
      "西安区", 2020,
      "按照《牡丹江市人民政府办公室关于印发牡丹江市2020年政务公开工作实施方案的通知》要求"));
  EXPECT_EQ(mudanjiang.meta().region_code(), "231005");
  EXPECT_LT(mudanjiang.meta().region_confidence(), 1.0);
  EXPECT_GT(mudanjiang.meta().region_confidence(), 0.5);
  EXPECT_NE(mudanjiang.meta().region_evidence().find("牡丹江市"), std::string::npos);

  v1::AnnualReport liaoyuan = Resolved(
      Report("西安区人民政府", 2020, "根据《吉林省人民政府办公厅关于做好政务公开工作的通知》"));
  EXPECT_EQ(liaoyuan.meta().region_code(), "220403");
  EXPECT_EQ(liaoyuan.meta().city(), "辽源市");
}

TEST_F(ResolverTest, SameNameWithoutEvidenceStaysUnresolved) {
  v1::AnnualReport report = Resolved(Report("西安区", 2020, "我区认真贯彻落实《条例》。"));
  EXPECT_EQ(report.meta().region_code(), "");
  EXPECT_EQ(report.meta().region_confidence(), 0.0);
  EXPECT_NE(report.meta().region_evidence().find("2 units"), std::string::npos);
  ASSERT_GT(report.diagnostics_size(), 0);
  EXPECT_EQ(report.diagnostics(report.diagnostics_size() - 1).code(), "region.ambiguous");
}

TEST_F(ResolverTest, TownshipResolvesUnderItsCounty) {
  v1::AnnualReport report = Resolved(Report("宝清县小城子镇人民政府", 2020));
  EXPECT_EQ(report.meta().region_code(), "230523105");
  EXPECT_EQ(report.meta().province(), "黑龙江省");
  EXPECT_EQ(report.meta().city(), "双鸭山市");
  EXPECT_EQ(report.meta().county(), "宝清县");
  EXPECT_EQ(report.meta().body_kind(), v1::BODY_KIND_GOVERNMENT);
  EXPECT_EQ(report.meta().body_level(), v1::REGION_LEVEL_TOWNSHIP);
}

TEST_F(ResolverTest, TownshipAmongSameNamesByText) {
  v1::AnnualReport report = Resolved(Report(
      "小城子镇人民政府", 2020, "根据《黑龙江省人民政府办公厅关于印发…》和宝清县的部署"));
  EXPECT_EQ(report.meta().region_code(), "230523105");
  EXPECT_LT(report.meta().region_confidence(), 1.0);
}

TEST_F(ResolverTest, RenamedUnitsResolveByYear) {
  v1::AnnualReport old_name = Resolved(Report("孟津县", 2020));
  EXPECT_EQ(old_name.meta().region_code(), "410322");
  EXPECT_EQ(old_name.meta().city(), "洛阳市");
  EXPECT_EQ(old_name.meta().region_confidence(), 1.0);
  v1::AnnualReport new_name = Resolved(Report("孟津区人民政府", 2022));
  EXPECT_EQ(new_name.meta().region_code(), "410308");
  v1::AnnualReport old_name_late = Resolved(Report("偃师市", 2023));
  EXPECT_EQ(old_name_late.meta().region_code(), "410381");
  EXPECT_LT(old_name_late.meta().region_confidence(), 1.0);
  EXPECT_NE(old_name_late.meta().region_evidence().find("not known valid"), std::string::npos);
}

TEST_F(ResolverTest, TitleWithLeadingYear) {
  v1::AnnualReport report;
  report.mutable_meta()->set_title("2020 年汤旺县政府信息公开工作 年度报告");
  report.mutable_meta()->set_year(2020);
  resolver_->Resolve("", &report);
  EXPECT_EQ(report.meta().region_code(), "230723");
  EXPECT_EQ(report.meta().city(), "伊春市");
}

TEST_F(ResolverTest, StatedCodeWins) {
  v1::AnnualReport report = Resolved(Report("林口县", 2020), "410328");
  EXPECT_EQ(report.meta().region_code(), "410328");
  EXPECT_EQ(report.meta().county(), "洛宁县");
  EXPECT_EQ(report.meta().region_confidence(), 1.0);
  EXPECT_NE(report.meta().region_evidence().find("stated"), std::string::npos);
}

TEST_F(ResolverTest, UnknownStatedCodeLeavesFieldsEmpty) {
  v1::AnnualReport report = Resolved(Report("林口县", 2020), "999999");
  EXPECT_EQ(report.meta().region_code(), "");
  EXPECT_EQ(report.meta().province(), "");
  ASSERT_EQ(report.diagnostics_size(), 1);
  EXPECT_EQ(report.diagnostics(0).code(), "region.unknown_code");
}

TEST_F(ResolverTest, BodyClassification) {
  v1::AnnualReport province = Resolved(Report("黑龙江省人民政府", 2020));
  EXPECT_EQ(province.meta().region_code(), "230000");
  EXPECT_EQ(province.meta().city(), "");
  EXPECT_EQ(province.meta().body_kind(), v1::BODY_KIND_GOVERNMENT);
  EXPECT_EQ(province.meta().body_level(), v1::REGION_LEVEL_PROVINCE);

  v1::AnnualReport city = Resolved(Report("牡丹江市人民政府办公室", 2020));
  EXPECT_EQ(city.meta().region_code(), "231000");
  EXPECT_EQ(city.meta().body_kind(), v1::BODY_KIND_GOVERNMENT);
  EXPECT_EQ(city.meta().body_level(), v1::REGION_LEVEL_CITY);

  v1::AnnualReport bureau = Resolved(Report("洛宁县教育局", 2020));
  EXPECT_EQ(bureau.meta().region_code(), "410328");
  EXPECT_EQ(bureau.meta().body_kind(), v1::BODY_KIND_DEPARTMENT);
  EXPECT_EQ(bureau.meta().body_level(), v1::REGION_LEVEL_COUNTY);

  v1::AnnualReport commission = Resolved(Report("洛阳市发展和改革委员会", 2021));
  EXPECT_EQ(commission.meta().region_code(), "410300");
  EXPECT_EQ(commission.meta().body_kind(), v1::BODY_KIND_DEPARTMENT);
  EXPECT_EQ(commission.meta().body_level(), v1::REGION_LEVEL_CITY);

  v1::AnnualReport zone = Resolved(Report("平潭综合实验区", 2020));
  EXPECT_EQ(zone.meta().region_code(), "350128");
  EXPECT_EQ(zone.meta().body_kind(), v1::BODY_KIND_DEVELOPMENT_ZONE);

  v1::AnnualReport hi_tech = Resolved(Report("洛阳高新技术产业开发区管理委员会", 2021));
  EXPECT_EQ(hi_tech.meta().region_code(), "410371");
  EXPECT_EQ(hi_tech.meta().body_kind(), v1::BODY_KIND_DEVELOPMENT_ZONE);

  v1::AnnualReport pudong = Resolved(Report("上海市浦东新区人民政府", 2021));
  EXPECT_EQ(pudong.meta().region_code(), "310115");
  EXPECT_EQ(pudong.meta().body_kind(), v1::BODY_KIND_GOVERNMENT);
  EXPECT_EQ(pudong.meta().city(), "");  // 市辖区 is a placeholder
  EXPECT_EQ(pudong.meta().province(), "上海市");
}

TEST_F(ResolverTest, BodyOnAHeadingLineOfItsOwn) {
  v1::AnnualReport report;
  report.mutable_meta()->set_year(2023);
  report.mutable_meta()->set_title("2023 年政府信息公开工作年度报告");
  report.set_normalized_text(
      "                洪泽区人民政府\n      2023 年政府信息公开工作年度报告\n\n"
      "   本报告由淮安市洪泽区人民政府办公室根据《条例》要求编制。\n");
  resolver_->Resolve("", &report);
  EXPECT_EQ(report.meta().region_code(), "320813");
  EXPECT_EQ(report.meta().city(), "淮安市");
  EXPECT_EQ(report.meta().body_kind(), v1::BODY_KIND_GOVERNMENT);
  EXPECT_NE(report.meta().region_evidence().find("heading line"), std::string::npos);
}

TEST_F(ResolverTest, NoDivisionNameIsUnresolved) {
  v1::AnnualReport report = Resolved(Report("某某单位", 2020));
  EXPECT_EQ(report.meta().region_code(), "");
  EXPECT_EQ(report.meta().body_kind(), v1::BODY_KIND_UNSPECIFIED);
  ASSERT_GT(report.diagnostics_size(), 0);
  EXPECT_EQ(report.diagnostics(0).code(), "region.unresolved");
}

}  // namespace
}  // namespace gongkai

// The seeds' organ (as the expected output names it), title line and whole
// text, resolved: the expected region fields come out.
namespace gongkai {
namespace {

std::string SeedValue(const std::string& json, const std::string& key) {
  std::string marker = "\"" + key + "\": \"";
  size_t begin = json.find(marker);
  if (begin == std::string::npos) return "";
  begin += marker.size();
  return json.substr(begin, json.find('"', begin) - begin);
}

TEST_F(ResolverTest, SeedsResolveAsExpected) {
  namespace fs = std::filesystem;
  const fs::path seeds = fs::path(GONGKAI_SHARED_DIR) / "seeds";
  if (!fs::is_directory(seeds)) GTEST_SKIP() << "no seeds at " << seeds << " (../shared absent)";
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(seeds)) {
    if (entry.path().extension() != ".txt") continue;
    auto read = [](const fs::path& path) {
      std::ifstream in(path, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    };
    std::string text = read(entry.path());
    std::string json =
        read(seeds / "expected" / (entry.path().stem().string() + ".json"));
    v1::AnnualReport report;
    report.mutable_meta()->set_organ(SeedValue(json, "meta.organ"));
    report.mutable_meta()->set_year(2020);
    size_t title_begin = text.find_first_not_of("\r\n# ");
    report.mutable_meta()->set_title(text.substr(title_begin, text.find('\n', title_begin) - title_begin));
    report.add_sections()->set_text(text);
    resolver_->Resolve("", &report);
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(report.meta().region_code(), SeedValue(json, "meta.region_code")) << name;
    EXPECT_EQ(report.meta().province(), SeedValue(json, "meta.province")) << name;
    EXPECT_EQ(report.meta().city(), SeedValue(json, "meta.city")) << name;
    EXPECT_EQ(report.meta().county(), SeedValue(json, "meta.county")) << name;
    EXPECT_EQ(report.meta().body_kind(), v1::BODY_KIND_GOVERNMENT) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

}  // namespace
}  // namespace gongkai
