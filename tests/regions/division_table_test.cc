#include "common/regions/division_table.h"

#include <string>

#include "gtest/gtest.h"

namespace gongkai {
namespace {

namespace v1 = ::gongkai::v1;

std::shared_ptr<const DivisionTable> Embedded() {
  auto table = DivisionTable::Embedded();
  EXPECT_TRUE(table.ok()) << table.status();
  return table.ok() ? *table : nullptr;
}

TEST(DivisionTableTest, EmbeddedTableHasEveryLevel) {
  auto table = Embedded();
  ASSERT_NE(table, nullptr);
  EXPECT_GT(table->size(), 40000u);
  const Division* province = table->FindCode("230000");
  ASSERT_NE(province, nullptr);
  EXPECT_EQ(province->name, "黑龙江省");
  EXPECT_EQ(province->level, v1::REGION_LEVEL_PROVINCE);
  const Division* city = table->FindCode("231000");
  ASSERT_NE(city, nullptr);
  EXPECT_EQ(city->name, "牡丹江市");
  const Division* county = table->FindCode("231025");
  ASSERT_NE(county, nullptr);
  EXPECT_EQ(county->name, "林口县");
  EXPECT_EQ(table->parent(*county)->index, city->index);
}

TEST(DivisionTableTest, TownshipHasNineDigitCode) {
  auto table = Embedded();
  ASSERT_NE(table, nullptr);
  const Division* town = table->FindCode("230523105");
  ASSERT_NE(town, nullptr);
  EXPECT_EQ(town->name, "小城子镇");
  EXPECT_EQ(town->level, v1::REGION_LEVEL_TOWNSHIP);
  EXPECT_EQ(table->parent(*town)->name, "宝清县");
  EXPECT_EQ(DivisionTable::DisplayCode(*town), "230523105");
  // A 12-digit NBS code of the same township.
  const Division* from_twelve = table->FindCode("230523105000");
  ASSERT_NE(from_twelve, nullptr);
  EXPECT_EQ(from_twelve->index, town->index);
  EXPECT_GE(table->FindName("小城子镇").size(), 3u);
}

TEST(DivisionTableTest, AbolishedUnitsKeepTheirYears) {
  auto table = Embedded();
  ASSERT_NE(table, nullptr);
  for (const char* name : {"孟津县", "偃师市", "吉利区"}) {
    const auto& found = table->FindName(name);
    ASSERT_EQ(found.size(), 1u) << name;
    const Division& division = table->at(found.front());
    EXPECT_EQ(division.valid_until, 2020) << name;
    EXPECT_TRUE(division.ValidIn(2019)) << name;
    EXPECT_FALSE(division.ValidIn(2022)) << name;
  }
  const auto& mengjin_district = table->FindName("孟津区");
  ASSERT_EQ(mengjin_district.size(), 1u);
  EXPECT_EQ(table->at(mengjin_district.front()).valid_from, 2021);
  EXPECT_FALSE(table->at(mengjin_district.front()).ValidIn(2020));
}

TEST(DivisionTableTest, AncestorsAndDisplayCodes) {
  auto table = Embedded();
  ASSERT_NE(table, nullptr);
  const Division* town = table->FindCode("230523105");
  ASSERT_NE(town, nullptr);
  EXPECT_EQ(table->AncestorAt(*town, v1::REGION_LEVEL_PROVINCE)->name, "黑龙江省");
  EXPECT_EQ(DivisionTable::DisplayCode(*table->AncestorAt(*town, v1::REGION_LEVEL_CITY)),
            "230500");
  EXPECT_EQ(table->AncestorAt(*town, v1::REGION_LEVEL_COUNTRY)->level,
            v1::REGION_LEVEL_COUNTRY);
  const Division* province = table->FindCode("410000");
  ASSERT_NE(province, nullptr);
  EXPECT_EQ(table->AncestorAt(*province, v1::REGION_LEVEL_COUNTY), nullptr);
  EXPECT_EQ(table->FindCode("000000")->level, v1::REGION_LEVEL_COUNTRY);
  EXPECT_EQ(table->FindCode("999999"), nullptr);
  EXPECT_EQ(table->FindCode("23x"), nullptr);
}

TEST(DivisionTableTest, ShortNames) {
  EXPECT_EQ(DivisionTable::ShortName("黑龙江省"), "黑龙江");
  EXPECT_EQ(DivisionTable::ShortName("广西壮族自治区"), "广西");
  EXPECT_EQ(DivisionTable::ShortName("平潭县"), "平潭");
  EXPECT_EQ(DivisionTable::ShortName("沙县"), "沙县");  // would leave one character
}

TEST(DivisionTableTest, ParseRejectsMalformedRows) {
  auto bad_level = DivisionTable::Parse("23\t\tQ\t黑龙江省\t\t\n");
  EXPECT_EQ(bad_level.status().code(), absl::StatusCode::kInvalidArgument);
  auto orphan = DivisionTable::Parse("2310\t23\tC\t牡丹江市\t\t\n");
  EXPECT_EQ(orphan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(orphan.status().message().find("line 1"), std::string::npos);
  auto short_row = DivisionTable::Parse("23\t\tP\t黑龙江省\n");
  EXPECT_EQ(short_row.status().code(), absl::StatusCode::kInvalidArgument);
  auto empty = DivisionTable::Parse("# nothing\n");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  auto good = DivisionTable::Parse("# t\n23\t\tP\t黑龙江省\t\t\n2310\t23\tC\t牡丹江市\t\t\n");
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ((*good)->size(), 3u);  // with the country
}

}  // namespace
}  // namespace gongkai
