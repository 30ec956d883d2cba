// Regression found by fuzz_services (tests/fuzz): the 统计期限 (statistics
// period) reader cut its 160-byte window in the middle of a UTF-8 sequence,
// so ReportMeta.statistics_period held invalid UTF-8; the report then failed
// to deserialise on the client (common/parse/layout.cc now backs off to a
// character boundary).
#include <string>

#include "common/parse/decode.h"
#include "common/parse/parser.h"
#include "gtest/gtest.h"
#include "tests/formats/sample_report.h"

namespace gongkai {
namespace {

TEST(LayoutRegression, StatisticsPeriodWithoutAnEndIsCutOnACharacterBoundary) {
  std::string text = testing::RenderText(testing::SampleReport());
  std::string period = "统计期限为xy";  // "xy" puts the 160-byte cut inside a 年
  for (int i = 0; i < 80; ++i) period += "年";  // no 止 or 。 within 160 bytes
  text = period + "\n" + text;
  Document document;
  document.bytes = text;
  document.name = "示例.txt";
  ReportParser parser;
  absl::StatusOr<v1::AnnualReport> report = parser.Parse(document);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(IsValidUtf8(report->meta().statistics_period()))
      << report->meta().statistics_period();
  v1::AnnualReport round_trip;
  EXPECT_TRUE(round_trip.ParseFromString(report->SerializeAsString()));
}

}  // namespace
}  // namespace gongkai
