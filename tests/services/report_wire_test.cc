// common/server/report_wire: the wire-level trimming and forwarding the
// aggregate and parse servers use instead of decode + encode, checked
// against protobuf's own decoding of the same bytes; malformed bytes are
// errors, never a crash.
#include "common/server/report_wire.h"

#include <string>
#include <vector>

#include "gongkai/v1/parse_service.pb.h"
#include "gongkai/v1/validate_service.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::google::protobuf::util::MessageDifferencer;

// A report with every kind of field the wire functions skip or keep.
v1::AnnualReport SampleReport(bool with_sections) {
  v1::AnnualReport report;
  report.mutable_meta()->set_organ("示例县人民政府");
  report.mutable_meta()->set_year(2023);
  report.mutable_meta()->set_region_code("231025");
  report.mutable_meta()->set_format(v1::REPORT_FORMAT_F2021);
  if (with_sections) {
    v1::Section* section = report.add_sections();
    section->set_number(1);
    section->set_heading("一、总体情况");
    section->set_text("本年度收到政府信息公开申请 12 件。");
  }
  const char* keys[] = {"t3.new.natural", "t3.new.total", "t4.review.total"};
  for (int i = 0; i < 3; ++i) {
    v1::Cell* cell = report.add_cells();
    cell->set_key(keys[i]);
    cell->set_value(std::to_string(i * 7));
    cell->set_state(i == 2 ? v1::CELL_STATE_AMBIGUOUS : v1::CELL_STATE_OK);
    cell->set_raw("第" + std::to_string(i * 7) + "件");
    cell->mutable_span()->set_begin(10 * i);
    cell->mutable_span()->set_end(10 * i + 3);
    if (i == 2) {
      cell->add_alternatives("41");
      cell->set_note("digit run read two ways");
    }
  }
  v1::Diagnostic* diagnostic = report.add_diagnostics();
  diagnostic->set_code("layout.tsv");
  diagnostic->set_message("tab-separated tables");
  report.set_content_sha256(std::string(64, 'a'));
  report.set_encoding("UTF-8");
  report.set_container("text");
  report.set_layout("tsv");
  report.set_normalized_text("示例县人民政府2023年政府信息公开工作年度报告\n……");
  return report;
}

TEST(ReportWireTest, WithoutNormalizedTextDropsOnlyTheText) {
  const v1::AnnualReport report = SampleReport(true);
  auto trimmed = ReportWithoutNormalizedText(report.SerializeAsString());
  ASSERT_TRUE(trimmed.ok()) << trimmed.status();
  v1::AnnualReport decoded;
  ASSERT_TRUE(decoded.ParseFromString(*trimmed));
  v1::AnnualReport expected = report;
  expected.clear_normalized_text();
  EXPECT_TRUE(MessageDifferencer::Equals(decoded, expected)) << decoded.DebugString();
}

TEST(ReportWireTest, WithoutSectionsTheTextIsKept) {
  const std::string bytes = SampleReport(false).SerializeAsString();
  auto trimmed = ReportWithoutNormalizedText(bytes);
  ASSERT_TRUE(trimmed.ok()) << trimmed.status();
  EXPECT_EQ(*trimmed, bytes);
}

TEST(ReportWireTest, SplitParseResponseReadsEveryField) {
  v1::ParseResponse response;
  *response.mutable_report() = SampleReport(true);
  response.set_from_cache(true);
  response.set_cache_key("gongkai:parse:v1:abc");
  const std::string bytes = response.SerializeAsString();
  auto parts = SplitParseResponse(bytes);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->report_chunks.size(), 1u);
  EXPECT_EQ(parts->report_chunks[0], response.report().SerializeAsString());
  EXPECT_TRUE(parts->from_cache);
  EXPECT_EQ(parts->cache_key, "gongkai:parse:v1:abc");
}

TEST(ReportWireTest, ValidateRequestMergesTheChunks) {
  // As the parse server answers: the cached report, then a chunk holding only
  // the caller's source_name.
  const v1::AnnualReport report = SampleReport(true);
  v1::AnnualReport name_only;
  name_only.set_source_name("示例.txt");
  const std::string first = report.SerializeAsString();
  const std::string second = name_only.SerializeAsString();
  v1::ValidateRequest request;
  ASSERT_TRUE(request.ParseFromString(ValidateRequestBytes({first, second})));
  v1::AnnualReport expected = report;
  expected.set_source_name("示例.txt");
  EXPECT_TRUE(MessageDifferencer::Equals(request.report(), expected));
  EXPECT_FALSE(request.has_previous());
}

TEST(ReportWireTest, MergeReportForRollupKeepsWhatTheRollupReads) {
  const v1::AnnualReport report = SampleReport(true);
  v1::AnnualReport name_only;
  name_only.set_source_name("示例.txt");
  v1::AnnualReport out;
  ASSERT_TRUE(MergeReportForRollup(report.SerializeAsString(), &out).ok());
  ASSERT_TRUE(MergeReportForRollup(name_only.SerializeAsString(), &out).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(out.meta(), report.meta()));
  EXPECT_EQ(out.source_name(), "示例.txt");
  EXPECT_EQ(out.content_sha256(), report.content_sha256());
  ASSERT_EQ(out.cells_size(), report.cells_size());
  for (int i = 0; i < out.cells_size(); ++i) {
    EXPECT_EQ(out.cells(i).key(), report.cells(i).key());
    EXPECT_EQ(out.cells(i).value(), report.cells(i).value());
    EXPECT_EQ(out.cells(i).state(), report.cells(i).state());
    EXPECT_TRUE(out.cells(i).raw().empty());
    EXPECT_FALSE(out.cells(i).has_span());
  }
  EXPECT_EQ(out.sections_size(), 0);
  EXPECT_EQ(out.diagnostics_size(), 0);
  EXPECT_TRUE(out.normalized_text().empty());
}

TEST(ReportWireTest, NonAsciiCellStringsAreDecodedInFull) {
  v1::AnnualReport report;
  v1::Cell* cell = report.add_cells();
  cell->set_key("t3.new.natural");
  cell->set_value("１２");  // not what the parser writes, but valid UTF-8
  cell->set_raw("１２");
  v1::AnnualReport out;
  ASSERT_TRUE(MergeReportForRollup(report.SerializeAsString(), &out).ok());
  ASSERT_EQ(out.cells_size(), 1);
  EXPECT_EQ(out.cells(0).value(), "１２");

  // Invalid UTF-8 in a cell is refused, as protobuf refuses it.
  std::string bad = report.SerializeAsString();
  const size_t at = bad.find("１２");
  ASSERT_NE(at, std::string::npos);
  bad[at] = '\xff';
  v1::AnnualReport rejected;
  EXPECT_FALSE(rejected.ParseFromString(bad));
  v1::AnnualReport merged;
  EXPECT_FALSE(MergeReportForRollup(bad, &merged).ok());
}

TEST(ReportWireTest, SerializeReportDecodesToTheSameReport) {
  for (bool with_sections : {true, false}) {
    v1::AnnualReport report = SampleReport(with_sections);
    if (with_sections) {
      v1::Section* empty = report.add_sections();  // a section without text
      empty->set_number(6);
      empty->set_heading("六、其他需要报告的事项");
    }
    const v1::AnnualReport before = report;
    const std::string bytes = SerializeReport(&report);
    EXPECT_TRUE(MessageDifferencer::Equals(report, before)) << "the report was changed";
    v1::AnnualReport decoded;
    ASSERT_TRUE(decoded.ParseFromString(bytes));
    EXPECT_TRUE(MessageDifferencer::Equals(decoded, before)) << decoded.DebugString();
    EXPECT_EQ(bytes.size(), before.ByteSizeLong());
    // And the wire functions read it like protobuf's own encoding.
    auto trimmed = ReportWithoutNormalizedText(bytes);
    ASSERT_TRUE(trimmed.ok());
    ASSERT_TRUE(decoded.ParseFromString(*trimmed));
    v1::AnnualReport expected = before;
    if (with_sections) expected.clear_normalized_text();
    EXPECT_TRUE(MessageDifferencer::Equals(decoded, expected));
  }
}

TEST(ReportWireTest, MalformedBytesAreErrors) {
  const std::string bytes = SampleReport(true).SerializeAsString();
  const std::vector<std::string> broken = {
      bytes.substr(0, bytes.size() / 2),  // cut inside a field
      std::string("\x0a\xff\xff\xff\xff\x0f", 6),  // length beyond the end
      std::string("\x00\x01", 2),                  // field number 0
      std::string("\x0c", 1),                      // end-group at the top level
  };
  for (const std::string& b : broken) {
    EXPECT_FALSE(ReportWithoutNormalizedText(b).ok());
    EXPECT_FALSE(SplitParseResponse(b).ok());
    v1::AnnualReport out;
    EXPECT_FALSE(MergeReportForRollup(b, &out).ok());
  }
  // A ParseResponse whose report field is not length-delimited.
  EXPECT_FALSE(SplitParseResponse(std::string("\x08\x01", 2)).ok());
}

}  // namespace
}  // namespace gongkai
