#include "common/report/decimal.h"

#include <cstdint>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace gongkai {
namespace {

std::string Formatted(Decimal d) {
  char buf[Decimal::kMaxChars];
  return std::string(buf, d.Format(buf));
}

TEST(DecimalTest, CanonicalText) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"0", "0"},          {"-0", "0"},           {"+1036", "1036"},
      {"-27", "-27"},      {"10807.1713", "10807.1713"},
      {"12.50", "12.5"},   {"3.0", "3"},          {"0.00000001", "0.00000001"},
      {"-0.5", "-0.5"},    {"90000000000", "90000000000"},
      {"007", "7"},        {"-12345.10000000", "-12345.1"},
  };
  for (const Case& c : cases) {
    std::optional<Decimal> d = Decimal::Parse(c.in);
    ASSERT_TRUE(d.has_value()) << c.in;
    EXPECT_EQ(d->ToString(), c.out) << c.in;
    EXPECT_EQ(Formatted(*d), c.out) << c.in;
  }
}

TEST(DecimalTest, FormatFitsTheExtremes) {
  const Decimal lowest = Decimal::FromUnits(std::numeric_limits<int64_t>::min());
  const Decimal highest = Decimal::FromUnits(std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Formatted(lowest), "-92233720368.54775808");
  EXPECT_EQ(Formatted(highest), "92233720368.54775807");
  EXPECT_EQ(lowest.ToString(), Formatted(lowest));
  EXPECT_LE(Formatted(lowest).size(), Decimal::kMaxChars);
}

TEST(DecimalTest, ParseRejectsJunk) {
  for (const char* bad : {"", "-", "1,000", "1.2.3", "12a", " 1", "0.123456789"}) {
    EXPECT_FALSE(Decimal::Parse(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace gongkai
