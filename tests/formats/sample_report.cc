#include "tests/formats/sample_report.h"

#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/formats/grid.h"
#include "common/formats/subprocess.h"

namespace gongkai::testing {
namespace {

SampleBlock Para(std::string text) {
  SampleBlock b;
  b.paragraph = std::move(text);
  return b;
}

std::vector<SampleCell> Numbers(const std::vector<int>& values) {
  std::vector<SampleCell> cells;
  for (int v : values) cells.push_back({absl::StrCat(v)});
  return cells;
}

std::vector<SampleCell> Row(std::vector<SampleCell> labels,
                            const std::vector<int>& values) {
  for (SampleCell& c : Numbers(values)) labels.push_back(std::move(c));
  return labels;
}

// Seven application-table values whose total column is the sum of the six.
std::vector<int> Seven(int natural, int commercial, int other = 0) {
  return {natural, commercial, 0, 0, 0, other, natural + commercial + other};
}

SampleTable Table2Block(const std::string& title,
                        const std::vector<std::string>& header,
                        const std::vector<std::pair<std::string, std::vector<std::string>>>& rows) {
  SampleTable t;
  int width = static_cast<int>(header.size());
  t.rows.push_back({{title, 1, width}});
  std::vector<SampleCell> h;
  for (const std::string& s : header) h.push_back({s});
  t.rows.push_back(h);
  for (const auto& [label, values] : rows) {
    std::vector<SampleCell> r = {{label}};
    for (const std::string& v : values) r.push_back({v});
    t.rows.push_back(r);
  }
  t.widths.assign(width, 1);
  t.widths[0] = 2;
  return t;
}

std::string Escape(const std::string& s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"},
                                 {"\"", "&quot;"}});
}

// Grid occupancy: for each row, which source cell (row, index) covers each
// column, and whether that slot is the cell's origin row.
struct Slot {
  int row = -1;
  int cell = -1;
  bool origin = false;
  bool first_col = false;
};

std::vector<std::vector<Slot>> Occupancy(const SampleTable& t, size_t width) {
  std::vector<std::vector<Slot>> grid(t.rows.size(), std::vector<Slot>(width));
  for (size_t r = 0; r < t.rows.size(); ++r) {
    size_t col = 0;
    for (size_t i = 0; i < t.rows[r].size(); ++i) {
      while (col < width && grid[r][col].row >= 0) ++col;
      const SampleCell& c = t.rows[r][i];
      for (int dr = 0; dr < c.rowspan && r + dr < t.rows.size(); ++dr) {
        for (int dc = 0; dc < c.colspan && col + dc < width; ++dc) {
          grid[r + dr][col + dc] = {static_cast<int>(r), static_cast<int>(i),
                                    dr == 0, dc == 0};
        }
      }
      col += c.colspan;
    }
  }
  return grid;
}

std::string DocxParagraph(const std::string& text, bool bold = false) {
  if (text.empty()) return "<w:p/>";
  return absl::StrCat("<w:p><w:r>", bold ? "<w:rPr><w:b/></w:rPr>" : "",
                      "<w:t xml:space=\"preserve\">", Escape(text),
                      "</w:t></w:r></w:p>");
}

}  // namespace

std::vector<SampleBlock> SampleReport(int variant) {
  const int v = variant;
  std::vector<SampleBlock> doc;
  doc.push_back(Para("示例县人民政府2023年政府信息公开工作年度报告（示例）"));
  doc.push_back(Para(
      "本报告由示例县人民政府办公室根据《中华人民共和国政府信息公开条例》编制。"
      "报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。"));
  doc.push_back(Para("一、总体情况"));
  doc.push_back(Para(absl::StrCat(
      "2023年，示例县主动公开政府信息", 1200 + v, "条，全年共收到政府信息公开申请",
      25 + v, "件，均在法定期限内答复。")));
  doc.push_back(Para("二、主动公开政府信息情况"));

  SampleBlock b;
  b.is_table = true;
  b.table = Table2Block("第二十条第（一）项",
                        {"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"},
                        {{"规章", {"0", "0", "0"}},
                         {"行政规范性文件", {absl::StrCat(3 + v), "1", absl::StrCat(40 + v)}}});
  doc.push_back(b);
  b.table = Table2Block("第二十条第（五）项", {"信息内容", "本年处理决定数量"},
                        {{"行政许可", {absl::StrCat(950 + v)}}});
  doc.push_back(b);
  b.table = Table2Block("第二十条第（六）项", {"信息内容", "本年处理决定数量"},
                        {{"行政处罚", {absl::StrCat(310 + v)}},
                         {"行政强制", {absl::StrCat(12 + v)}}});
  doc.push_back(b);
  b.table = Table2Block("第二十条第（八）项",
                        {"信息内容", "本年收费金额（单位：万元）"},
                        {{"行政事业性收费", {absl::StrCat(v, "12.5")}}});
  doc.push_back(b);

  doc.push_back(Para("三、收到和处理政府信息公开申请情况"));
  SampleTable t3;
  t3.widths = {3, 3, 6, 2, 2, 2, 2, 2, 2, 2};
  t3.rows.push_back({{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3},
                     {"申请人情况", 1, 7}});
  t3.rows.push_back({{"自然人", 2, 1}, {"法人或其他组织", 1, 5}, {"总计", 2, 1}});
  t3.rows.push_back({{"商业企业"}, {"科研机构"}, {"社会公益组织"}, {"法律服务机构"}, {"其他"}});
  // new = 20+v natural, 4 commercial, 1 other; carried over 2 natural.
  t3.rows.push_back(Row({{"一、本年新收政府信息公开申请数量", 1, 3}}, Seven(20 + v, 4, 1)));
  t3.rows.push_back(Row({{"二、上年结转政府信息公开申请数量", 1, 3}}, Seven(2, 0)));
  // Outcomes: natural 22+v - 1 carried forward = 21+v; commercial 4; other 1.
  t3.rows.push_back(Row({{"三、本年度办理结果", 22, 1}, {"（一）予以公开", 1, 2}},
                        Seven(10 + v, 2, 1)));
  t3.rows.push_back(Row({{"（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2}},
                        Seven(3, 1)));
  const char* denied[] = {"1.属于国家秘密", "2.其他法律行政法规禁止公开",
                          "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                          "5.属于三类内部事务信息", "6.属于四类过程性信息",
                          "7.属于行政执法案卷", "8.属于行政查询事项"};
  for (int i = 0; i < 8; ++i) {
    std::vector<SampleCell> labels;
    if (i == 0) labels.push_back({"（三）不予公开", 8, 1});
    labels.push_back({denied[i]});
    t3.rows.push_back(Row(labels, Seven(i == 5 ? 1 : 0, 0)));
  }
  const char* unavailable[] = {"1.本机关不掌握相关政府信息",
                               "2.没有现成信息需要另行制作",
                               "3.补正后申请内容仍不明确"};
  for (int i = 0; i < 3; ++i) {
    std::vector<SampleCell> labels;
    if (i == 0) labels.push_back({"（四）无法提供", 3, 1});
    labels.push_back({unavailable[i]});
    t3.rows.push_back(Row(labels, Seven(i == 0 ? 5 : 0, i == 0 ? 1 : 0)));
  }
  const char* rejected[] = {"1.信访举报投诉类申请", "2.重复申请",
                            "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                            "5.要求行政机关确认或重新出具已获取信息"};
  for (int i = 0; i < 5; ++i) {
    std::vector<SampleCell> labels;
    if (i == 0) labels.push_back({"（五）不予处理", 5, 1});
    labels.push_back({rejected[i]});
    t3.rows.push_back(Row(labels, Seven(i == 1 ? 1 : 0, 0)));
  }
  const char* other[] = {
      "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
      "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
      "3.其他"};
  for (int i = 0; i < 3; ++i) {
    std::vector<SampleCell> labels;
    if (i == 0) labels.push_back({"（六）其他处理", 3, 1});
    labels.push_back({other[i]});
    t3.rows.push_back(Row(labels, Seven(i == 0 ? 1 : 0, 0)));
  }
  t3.rows.push_back(Row({{"（七）总计", 1, 2}}, Seven(21 + v, 4, 1)));
  t3.rows.push_back(Row({{"四、结转下年度继续办理", 1, 3}}, Seven(1, 0)));
  b.table = t3;
  doc.push_back(b);

  doc.push_back(Para("四、政府信息公开行政复议、行政诉讼情况"));
  SampleTable t4;
  t4.widths.assign(15, 1);
  t4.rows.push_back({{"行政复议", 1, 5}, {"行政诉讼", 1, 10}});
  t4.rows.push_back({{"结果维持", 2, 1}, {"结果纠正", 2, 1}, {"其他结果", 2, 1},
                     {"尚未审结", 2, 1}, {"总计", 2, 1},
                     {"未经复议直接起诉", 1, 5}, {"复议后起诉", 1, 5}});
  std::vector<SampleCell> h;
  for (int k = 0; k < 2; ++k) {
    for (const char* s : {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}) {
      h.push_back({s});
    }
  }
  t4.rows.push_back(h);
  t4.rows.push_back(Numbers({2 + v, 1, 0, 0, 3 + v, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0}));
  b.table = t4;
  doc.push_back(b);

  doc.push_back(Para("五、存在的主要问题及改进情况"));
  doc.push_back(Para("示例文本：政务公开队伍建设有待加强，下一步将加强培训。"));
  doc.push_back(Para("六、其他需要报告的事项"));
  doc.push_back(Para("本年度未收取信息处理费。"));
  return doc;
}

std::string RenderText(const std::vector<SampleBlock>& blocks) {
  std::string out;
  for (const SampleBlock& b : blocks) {
    if (!b.is_table) {
      absl::StrAppend(&out, b.paragraph, "\n");
      continue;
    }
    size_t budget = 1u << 20;
    TableGrid grid(&budget);
    for (const auto& row : b.table.rows) {
      grid.StartRow();
      for (const SampleCell& c : row) {
        grid.AddCell(c.text, c.rowspan, c.colspan).IgnoreError();
      }
    }
    out += grid.ToTsv();
  }
  return out;
}

std::string RenderHtml(const std::vector<SampleBlock>& blocks,
                       const std::string& encoding_label) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html><head><meta charset=\"", encoding_label,
      "\"><title>示例县人民政府2023年政府信息公开工作年度报告（示例）_政府信息公开年报_示例县人民政府</title>"
      "<style>td{border:1px solid}</style><script>var nav = '<p>导航</p>';</script>"
      "</head><body>\n<div class=\"nav\"><ul><li><a href=\"/\">首页</a></li>"
      "<li><a href=\"/zwgk\">政务公开</a></li></ul></div>\n"
      "<table class=\"layout\"><tr><td class=\"side\"><a href=\"/a\">链接一</a></td>"
      "<td class=\"main\"><div class=\"TRS_Editor\">\n");
  for (const SampleBlock& b : blocks) {
    if (!b.is_table) {
      absl::StrAppend(&out, "<p>", Escape(b.paragraph), "</p>\n");
      continue;
    }
    out += "<table border=\"1\" cellspacing=\"0\"><tbody>\n";
    for (const auto& row : b.table.rows) {
      out += "<tr>";
      for (const SampleCell& c : row) {
        out += "<td";
        if (c.rowspan > 1) absl::StrAppend(&out, " rowspan=\"", c.rowspan, "\"");
        if (c.colspan > 1) absl::StrAppend(&out, " colspan=\"", c.colspan, "\"");
        // Word-export style: a <p><span> per cell, &nbsp; padding.
        absl::StrAppend(&out, "><p><span>", Escape(c.text),
                        "</span><span>&nbsp;</span></p></td>");
      }
      out += "</tr>\n";
    }
    out += "</tbody></table>\n";
  }
  out +=
      "</div></td></tr></table>\n<div class=\"footer\"><p>主办：示例县人民政府办公室"
      "</p></div></body></html>\n";
  return out;
}

absl::StatusOr<std::string> RenderDocx(const std::vector<SampleBlock>& blocks) {
  std::string body;
  for (const SampleBlock& b : blocks) {
    if (!b.is_table) {
      body += DocxParagraph(b.paragraph);
      continue;
    }
    const SampleTable& t = b.table;
    size_t width = t.widths.size();
    int total = 0;
    for (int w : t.widths) total += w;
    body += "<w:tbl><w:tblPr><w:tblW w:w=\"14000\" w:type=\"dxa\"/><w:tblBorders>"
            "<w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>"
            "<w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>"
            "<w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/>"
            "</w:tblBorders></w:tblPr><w:tblGrid>";
    for (int w : t.widths) {
      absl::StrAppend(&body, "<w:gridCol w:w=\"", 14000 * w / total, "\"/>");
    }
    body += "</w:tblGrid>";
    std::vector<std::vector<Slot>> grid = Occupancy(t, width);
    for (size_t r = 0; r < t.rows.size(); ++r) {
      body += "<w:tr>";
      for (size_t col = 0; col < width; ++col) {
        const Slot& s = grid[r][col];
        if (s.row < 0 || !s.first_col) continue;
        const SampleCell& c = t.rows[s.row][s.cell];
        body += "<w:tc><w:tcPr>";
        if (c.colspan > 1) absl::StrAppend(&body, "<w:gridSpan w:val=\"", c.colspan, "\"/>");
        if (c.rowspan > 1) {
          body += s.origin ? "<w:vMerge w:val=\"restart\"/>" : "<w:vMerge/>";
        }
        body += "<w:vAlign w:val=\"center\"/></w:tcPr>";
        body += s.origin ? DocxParagraph(c.text) : "<w:p/>";
        body += "</w:tc>";
      }
      body += "</w:tr>";
    }
    body += "</w:tbl><w:p/>";
  }
  std::string document = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<w:body>",
      body,
      "<w:sectPr><w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"
      "<w:pgMar w:top=\"1000\" w:right=\"1000\" w:bottom=\"1000\" w:left=\"1000\"/>"
      "</w:sectPr></w:body></w:document>");
  return WriteZip({
      {"[Content_Types].xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
       "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
       "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
       "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
       "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
       "</Types>"},
      {"_rels/.rels",
       "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
       "2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
       "</Relationships>"},
      {"word/document.xml", document},
  });
}

absl::StatusOr<std::string> ConvertWithLibreOffice(const std::string& docx) {
  absl::StatusOr<SubprocessResult> fonts =
      RunSubprocess({"fc-list", ":lang=zh"}, "", 10000, 1 << 20);
  if (!fonts.ok() || fonts->exit_code != 0 || fonts->stdout_data.empty()) {
    return absl::UnavailableError("no CJK font installed (fc-list :lang=zh)");
  }
  char dir_template[] = "/tmp/gongkai_soffice_XXXXXX";
  char* dir = mkdtemp(dir_template);
  if (dir == nullptr) return absl::InternalError("mkdtemp failed");
  std::string docx_path = absl::StrCat(dir, "/sample_report_示例.docx");
  std::ofstream(docx_path, std::ios::binary) << docx;
  absl::StatusOr<SubprocessResult> run = RunSubprocess(
      {"soffice", absl::StrCat("-env:UserInstallation=file://", dir, "/profile"),
       "--headless", "--convert-to", "pdf", "--outdir", dir, docx_path},
      "", 180000, 1 << 20);
  std::ifstream in(absl::StrCat(dir, "/sample_report_示例.pdf"), std::ios::binary);
  std::stringstream pdf;
  pdf << in.rdbuf();
  RunSubprocess({"rm", "-rf", dir}, "", 10000, 1 << 16).IgnoreError();
  if (!run.ok()) {
    return absl::UnavailableError(absl::StrCat("soffice: ", run.status().message()));
  }
  if (run->exit_code != 0 || pdf.str().empty()) {
    return absl::InternalError(absl::StrCat("soffice failed: ", run->stderr_data));
  }
  return pdf.str();
}

absl::StatusOr<std::string> WriteZip(
    const std::vector<std::pair<std::string, std::string>>& members) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) return absl::InternalError("zip_source_buffer_create");
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    zip_source_free(buffer);
    return absl::InternalError(zip_error_strerror(&error));
  }
  for (const auto& [name, content] : members) {
    zip_source_t* src =
        zip_source_buffer(archive, content.data(), content.size(), 0);
    if (src == nullptr || zip_file_add(archive, name.c_str(), src, ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(src);
      zip_discard(archive);
      zip_source_free(buffer);
      return absl::InternalError("zip_file_add");
    }
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    zip_source_free(buffer);
    return absl::InternalError("zip_close");
  }
  std::string out;
  zip_stat_t st;
  if (zip_source_stat(buffer, &st) == 0 && zip_source_open(buffer) == 0) {
    out.resize(st.size);
    zip_int64_t n = zip_source_read(buffer, out.data(), st.size);
    zip_source_close(buffer);
    if (n < 0) out.clear();
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  }
  zip_source_free(buffer);
  if (out.empty()) return absl::InternalError("empty zip");
  return out;
}

}  // namespace gongkai::testing
