#include "common/server/report_wire.h"

#include <cstdint>
#include <utility>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"

namespace gongkai {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;
using google::protobuf::internal::WireFormatLite;

// Field numbers (proto/gongkai/v1/*.proto).
constexpr int kReportMeta = 1;             // AnnualReport.meta
constexpr int kReportSections = 2;         // AnnualReport.sections
constexpr int kReportCells = 3;            // AnnualReport.cells
constexpr int kReportSourceName = 5;       // AnnualReport.source_name
constexpr int kReportContentSha256 = 6;    // AnnualReport.content_sha256
constexpr int kCellKey = 1;                // Cell.key
constexpr int kCellValue = 2;              // Cell.value
constexpr int kCellState = 3;              // Cell.state
constexpr int kReportNormalizedText = 10;  // AnnualReport.normalized_text
constexpr int kResponseReport = 1;         // ParseResponse.report
constexpr int kResponseFromCache = 2;      // ParseResponse.from_cache
constexpr int kResponseCacheKey = 3;       // ParseResponse.cache_key
constexpr int kValidateReport = 1;         // ValidateRequest.report
constexpr int kBatchRequests = 1;          // ValidateBatchRequest.requests

// One top-level field: its number, wire type, whole bytes (tag included) and,
// for a length-delimited field, its payload.
struct Field {
  int number = 0;
  WireFormatLite::WireType type = WireFormatLite::WIRETYPE_VARINT;
  absl::string_view whole;
  absl::string_view payload;
  uint64_t varint = 0;
};

// Calls visit(const Field&) for every top-level field of `bytes`, in order.
// False when the bytes are malformed.
template <typename Visit>
bool ForEachField(absl::string_view bytes, Visit visit) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  while (true) {
    const int start = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return static_cast<size_t>(start) == bytes.size();
    Field field;
    field.number = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
    field.type = WireFormatLite::GetTagWireType(tag);
    if (field.number == 0) return false;
    if (field.type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) return false;
      const int at = in.CurrentPosition();
      if (length > bytes.size() - static_cast<size_t>(at) || !in.Skip(static_cast<int>(length))) {
        return false;
      }
      field.payload = bytes.substr(at, length);
    } else if (field.type == WireFormatLite::WIRETYPE_VARINT) {
      if (!in.ReadVarint64(&field.varint)) return false;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
    field.whole = bytes.substr(start, in.CurrentPosition() - start);
    visit(field);
  }
}

void AppendLengthDelimited(int number, absl::string_view payload, std::string* out) {
  const uint32_t tag = WireFormatLite::MakeTag(number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  uint8_t head[10];  // two varint32s of at most 5 bytes
  uint8_t* end = CodedOutputStream::WriteVarint32ToArray(tag, head);
  end = CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(payload.size()), end);
  out->append(reinterpret_cast<const char*>(head), end - head);
  out->append(payload.data(), payload.size());
}

bool IsAscii(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Sets key, value and state of *cell from a serialized Cell. False when the
// bytes are malformed or a string is not plain ASCII (the caller then decodes
// the cell in full, which checks UTF-8).
bool ReadCellForRollup(absl::string_view bytes, v1::Cell* cell) {
  bool plain = true;
  const bool ok = ForEachField(bytes, [&](const Field& field) {
    const bool delimited = field.type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    if (field.number == kCellKey && delimited) {
      plain &= IsAscii(field.payload);
      cell->set_key(field.payload.data(), field.payload.size());
    } else if (field.number == kCellValue && delimited) {
      plain &= IsAscii(field.payload);
      cell->set_value(field.payload.data(), field.payload.size());
    } else if (field.number == kCellState && field.type == WireFormatLite::WIRETYPE_VARINT) {
      cell->set_state(static_cast<v1::CellState>(static_cast<int32_t>(field.varint)));
    } else if (field.number <= kCellState) {
      plain = false;  // a known field with the wrong wire type
    }
  });
  return ok && plain;
}

}  // namespace

grpc::ByteBuffer OwningByteBuffer(std::string bytes) {
  auto* owned = new std::string(std::move(bytes));
  grpc::Slice slice(owned->data(), owned->size(),
                    [](void* p) { delete static_cast<std::string*>(p); }, owned);
  return grpc::ByteBuffer(&slice, 1);
}

std::string SerializeReport(v1::AnnualReport* report) {
  constexpr int kSectionText = 3;  // Section.text
  std::string text;
  text.swap(*report->mutable_normalized_text());
  google::protobuf::RepeatedPtrField<v1::Section> sections;
  sections.Swap(report->mutable_sections());
  std::string out = report->SerializeAsString();
  std::string section_bytes;
  for (v1::Section& section : sections) {
    std::string section_text;
    section_text.swap(*section.mutable_text());
    section_bytes.clear();
    section.AppendToString(&section_bytes);
    if (!section_text.empty()) AppendLengthDelimited(kSectionText, section_text, &section_bytes);
    AppendLengthDelimited(kReportSections, section_bytes, &out);
    section_text.swap(*section.mutable_text());
  }
  if (!text.empty()) AppendLengthDelimited(kReportNormalizedText, text, &out);
  sections.Swap(report->mutable_sections());
  text.swap(*report->mutable_normalized_text());
  return out;
}

absl::StatusOr<std::string> ReportWithoutNormalizedText(absl::string_view report) {
  bool has_sections = false;
  bool has_text = false;
  size_t text_bytes = 0;
  const bool ok = ForEachField(report, [&](const Field& field) {
    if (field.number == kReportSections) has_sections = true;
    if (field.number == kReportNormalizedText) {
      has_text = true;
      text_bytes += field.whole.size();
    }
  });
  if (!ok) return absl::InvalidArgumentError("the report bytes are not a protobuf message");
  if (!has_sections || !has_text) return std::string(report);
  std::string out;
  out.reserve(report.size() - text_bytes);
  ForEachField(report, [&](const Field& field) {
    if (field.number != kReportNormalizedText) out.append(field.whole.data(), field.whole.size());
  });
  return out;
}

absl::StatusOr<ParseResponseParts> SplitParseResponse(absl::string_view response) {
  ParseResponseParts parts;
  bool wrong_type = false;
  const bool ok = ForEachField(response, [&](const Field& field) {
    switch (field.number) {
      case kResponseReport:
        wrong_type |= field.type != WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
        parts.report_chunks.push_back(field.payload);
        break;
      case kResponseFromCache:
        wrong_type |= field.type != WireFormatLite::WIRETYPE_VARINT;
        parts.from_cache = field.varint != 0;
        break;
      case kResponseCacheKey:
        wrong_type |= field.type != WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
        parts.cache_key = field.payload;
        break;
      default:
        break;  // a field added later: not ours to read
    }
  });
  if (!ok || wrong_type) {
    return absl::InvalidArgumentError("the parse replica's answer is not a ParseResponse");
  }
  return parts;
}

absl::Status MergeReportForRollup(absl::string_view report, v1::AnnualReport* out) {
  std::string small;  // meta, source_name, content_sha256: decoded by protobuf
  bool cells_ok = true;
  const bool ok = ForEachField(report, [&](const Field& field) {
    switch (field.number) {
      case kReportMeta:
      case kReportSourceName:
      case kReportContentSha256:
        small.append(field.whole.data(), field.whole.size());
        break;
      case kReportCells: {
        if (field.type != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
          cells_ok = false;
          break;
        }
        v1::Cell* cell = out->add_cells();
        if (!ReadCellForRollup(field.payload, cell)) {
          cell->Clear();
          cells_ok &= cell->ParseFromArray(field.payload.data(),
                                           static_cast<int>(field.payload.size()));
        }
        break;
      }
      default:
        break;
    }
  });
  if (!ok || !cells_ok || !out->MergeFromString(small)) {
    return absl::InvalidArgumentError("the report bytes are not an AnnualReport");
  }
  return absl::OkStatus();
}

namespace {

// `payloads` as one length-delimited field `number` each.
std::string RepeatedField(int number, const std::vector<absl::string_view>& payloads) {
  size_t size = 0;
  for (absl::string_view payload : payloads) size += payload.size() + 12;
  std::string out;
  out.reserve(size);
  for (absl::string_view payload : payloads) AppendLengthDelimited(number, payload, &out);
  return out;
}

}  // namespace

std::string ValidateRequestBytes(const std::vector<absl::string_view>& report_chunks) {
  return RepeatedField(kValidateReport, report_chunks);
}

std::string ValidateBatchRequestBytes(const std::vector<absl::string_view>& requests) {
  return RepeatedField(kBatchRequests, requests);
}

}  // namespace gongkai
