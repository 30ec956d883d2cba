#include "tools/corpusgen/layouts.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace gongkai {
namespace corpusgen {
namespace {

using gongkai::v1::REPORT_FORMAT_F2021;

const char kT3Note[] = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
const char kOutcome[] = "三、本年度办理结果";

const std::string& Printed(const ReportSpec& spec, const std::string& key) {
  return spec.printed.at(key);
}

std::vector<std::string> T3Values(const ReportSpec& spec, const std::string& row) {
  std::vector<std::string> out;
  for (const auto& col : T3Columns()) out.push_back(Printed(spec, T3Key(row, col)));
  return out;
}

std::vector<std::string> T2Values(const ReportSpec& spec, const std::string& stem) {
  std::vector<std::string> out;
  for (const T2Row& row : T2Rows(spec.variant.format)) {
    if (row.stem != stem) continue;
    for (const auto& col : row.columns) out.push_back(Printed(spec, absl::StrCat(stem, ".", col)));
  }
  return out;
}

std::vector<std::string> T4Values(const ReportSpec& spec) {
  std::vector<std::string> out;
  for (const auto& g : T4Groups())
    for (const auto& c : T4Columns()) out.push_back(Printed(spec, T4Key(g, c)));
  return out;
}

// Display width as pdftotext lays it out: CJK and full-width count 2.
size_t Width(const std::string& s) {
  size_t w = 0;
  for (unsigned char ch : s) {
    if (ch < 0x80) {
      ++w;
    } else if ((ch & 0xC0) != 0x80) {
      w += 2;
    }
  }
  return w;
}

std::string Spaces(size_t n) { return std::string(n, ' '); }

std::string PadRight(const std::string& s, size_t w) {
  const size_t have = Width(s);
  return have >= w ? s + " " : s + Spaces(w - have);
}

std::string PadLeft(const std::string& s, size_t w) {
  const size_t have = Width(s);
  return have >= w ? " " + s : Spaces(w - have) + s;
}

// Splits UTF-8 `s` after `chars` code points.
std::pair<std::string, std::string> SplitChars(const std::string& s, size_t chars) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (count == chars) return {s.substr(0, i), s.substr(i)};
      ++count;
    }
  }
  return {s, ""};
}

size_t CharCount(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

// Label variants a real document may print: ASCII parentheses, a space after
// the enumerator.
struct LabelStyle {
  bool ascii_parens = false;
  bool space_after_dot = false;
  // OCR damage as in seed 001 (`共他` for 其他) and hongze's source typo
  // (`2.其他法律行政止公开`).
  bool ocr_damage = false;
  std::string Apply(const std::string& label) const {
    std::string out = label;
    if (ascii_parens) out = absl::StrReplaceAll(out, {{"（", "("}, {"）", ")"}});
    if (ocr_damage) out = absl::StrReplaceAll(out, {{"其他法律行政法规禁止公开", "其他法律行政止公开"}});
    if (space_after_dot && out.size() > 2 && out[0] >= '1' && out[0] <= '9' && out[1] == '.') {
      out.insert(2, " ");
    }
    return out;
  }
};

LabelStyle DrawLabelStyle(Prng& prng) {
  LabelStyle style;
  style.ascii_parens = prng.Chance(300);
  style.space_after_dot = prng.Chance(300);
  style.ocr_damage = prng.Chance(60);
  return style;
}

// Headings of the prose sections in the plain-text layouts.
std::string Heading(const std::string& text, int style, int level) {
  switch (style) {
    case 1:
      return absl::StrCat(level == 1 ? "## " : "### ", text);
    case 2:
      return absl::StrCat("**", text, "**");
    case 3:
      return absl::StrCat("  ", text);
    default:
      return text;
  }
}

// Table 三 rows as label columns (outcome, group, leaf), the group label on
// the first row of its group only.
struct T3Line {
  std::string row;
  std::string a, b, c;  // label columns
};

std::vector<T3Line> T3Lines(const ReportSpec& spec, const LabelStyle& style) {
  std::vector<T3Line> lines;
  std::string last_group;
  bool first_outcome = true;
  for (const std::string& row : T3Rows(spec.variant)) {
    const T3RowLabel& label = T3Label(row);
    T3Line line;
    line.row = row;
    if (!label.outcome) {
      line.a = style.Apply(label.group);
    } else {
      if (first_outcome) line.a = kOutcome;
      first_outcome = false;
      if (label.group != last_group) line.b = style.Apply(label.group);
      line.c = style.Apply(label.leaf);
    }
    last_group = label.group;
    lines.push_back(line);
  }
  return lines;
}

// ---------------------------------------------------------------- prose --

void AppendProse(const ReportSpec& spec, int heading_style, const std::string& para_indent,
                 int section, std::string* out) {
  const auto& headings = SectionHeadings();
  absl::StrAppend(out, Heading(headings[section], heading_style, 1), "\n\n");
  const std::vector<std::string>* paras = nullptr;
  if (section == 0) paras = &spec.overview;
  if (section == 4) paras = &spec.problems;
  if (paras) {
    for (const auto& p : *paras) absl::StrAppend(out, para_indent, p, "\n\n");
  }
  if (section == 5) absl::StrAppend(out, para_indent, spec.other_matters, "\n\n");
}

// ------------------------------------------------------- separated rows --

// Tab-, pipe- and markdown-separated tables share one shape: rows of cells.
using Row = std::vector<std::string>;

struct Tables {
  std::vector<Row> t2, t3, t4;
};

Tables SeparatedTables(const ReportSpec& spec, const LabelStyle& style, bool pad_blocks) {
  Tables t;
  for (const T2Block& block : T2Blocks(spec.variant.format)) {
    Row title = {block.title};
    if (pad_blocks) title.resize(block.headers.size());
    t.t2.push_back(title);
    t.t2.push_back(block.headers);
    for (const auto& [label, stem] : block.rows) {
      Row r = {label};
      for (auto& v : T2Values(spec, stem)) r.push_back(v);
      t.t2.push_back(r);
    }
  }
  const auto& cols = T3ColumnLabels();
  t.t3.push_back({kT3Note, "", "", "申请人情况", "", "", "", "", "", ""});
  t.t3.push_back({"", "", "", cols[0], "法人或其他组织", "", "", "", "", cols[6]});
  t.t3.push_back({"", "", "", "", cols[1], cols[2], cols[3], cols[4],
                  style.ocr_damage ? "共他" : cols[5], ""});
  for (const T3Line& line : T3Lines(spec, style)) {
    Row r = {line.a, line.b, line.c};
    for (auto& v : T3Values(spec, line.row)) r.push_back(v);
    t.t3.push_back(r);
  }
  const auto& groups = T4GroupLabels();
  const auto& c4 = T4ColumnLabels();
  Row h1 = {groups[0], "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""};
  Row h2 = {c4[0], c4[1], c4[2], c4[3], c4[4], groups[1], "", "", "", "", groups[2], "", "", "", ""};
  Row h3 = {"", "", "", "", ""};
  for (int i = 0; i < 2; ++i) h3.insert(h3.end(), c4.begin(), c4.end());
  t.t4 = {h1, h2, h3, T4Values(spec)};
  return t;
}

std::string RenderSeparated(const ReportSpec& spec, Layout layout, Prng& prng) {
  const LabelStyle style = DrawLabelStyle(prng);
  const int heading_style = static_cast<int>(prng.Below(4));
  const bool bare_pipes = prng.Chance(500);
  const bool trailing_tab = prng.Chance(500);
  const int blank_line_per_mille = prng.Chance(300) ? 60 : 0;
  Tables tables = SeparatedTables(spec, style, layout != Layout::kTsv || prng.Chance(600));

  auto table = [&](const std::vector<Row>& rows) {
    std::string out;
    size_t width = 0;
    for (const Row& r : rows) width = std::max(width, r.size());
    bool first = true;
    for (Row r : rows) {
      if (layout == Layout::kMarkdown) r.resize(width);
      std::string line;
      if (layout == Layout::kTsv) {
        line = absl::StrJoin(r, "\t");
        if (trailing_tab) line += "\t";
      } else if (layout == Layout::kPipe && bare_pipes) {
        line = absl::StrJoin(r, "|");
      } else {
        line = absl::StrCat("| ", absl::StrJoin(r, " | "), " |");
      }
      absl::StrAppend(&out, line, "\n");
      if (layout == Layout::kMarkdown && first) {
        std::vector<std::string> dashes(width, "---");
        absl::StrAppend(&out, "| ", absl::StrJoin(dashes, " | "), " |\n");
      }
      first = false;
      if (layout == Layout::kTsv && prng.Chance(blank_line_per_mille)) out += "\n";
    }
    return out;
  };

  std::string out = "\n";
  absl::StrAppend(&out, heading_style == 1 ? "# " : "", spec.title, "\n\n");
  absl::StrAppend(&out, spec.preamble, "\n\n");
  AppendProse(spec, heading_style, "", 0, &out);
  const auto& headings = SectionHeadings();
  absl::StrAppend(&out, Heading(headings[1], heading_style, 1), "\n\n");
  if (layout == Layout::kMarkdown) {
    // One markdown table per block of table 二.
    std::vector<Row> block;
    for (const Row& r : tables.t2) {
      if (!block.empty() && absl::StartsWith(r[0], "第二十条")) {
        absl::StrAppend(&out, table(block), "\n");
        block.clear();
      }
      block.push_back(r);
    }
    absl::StrAppend(&out, table(block), "\n");
  } else {
    absl::StrAppend(&out, table(tables.t2), "\n");
  }
  absl::StrAppend(&out, Heading(headings[2], heading_style, 1), "\n\n", table(tables.t3), "\n");
  absl::StrAppend(&out, Heading(headings[3], heading_style, 1), "\n\n", table(tables.t4), "\n");
  AppendProse(spec, heading_style, "", 4, &out);
  AppendProse(spec, heading_style, "", 5, &out);
  return out;
}

// ------------------------------------------------------------- aligned --

// pdftotext -layout: columns padded with spaces, page footers `-N-` where
// the page breaks (also inside tables), long labels wrapped, the rotated
// label 三、本年度办理结果 spread over a line of its own.
class AlignedPrinter {
 public:
  AlignedPrinter(const ReportSpec& spec, Prng& prng) : spec_(spec), prng_(prng) {
    style_ = DrawLabelStyle(prng);
    label_width_ = 44 + 2 * prng.Below(6);
    cell_width_ = 6 + prng.Below(3);
    page_lines_ = 38 + prng.Below(12);
  }

  std::string Print() {
    Line(Spaces(8 + prng_.Below(8)) + spec_.title);
    Line("");
    Para(spec_.preamble);
    const auto& headings = SectionHeadings();
    Line(Spaces(4) + headings[0]);
    for (const auto& p : spec_.overview) Para(p);
    Line(Spaces(4) + headings[1]);
    TableTwo();
    Line(Spaces(18) + headings[2]);
    TableThree();
    Line("");
    Line(Spaces(5) + headings[3]);
    TableFour();
    Line(Spaces(5) + headings[4]);
    for (const auto& p : spec_.problems) Para(p);
    Line(Spaces(2) + headings[5]);
    Para(spec_.other_matters);
    Footer();
    return out_;
  }

 private:
  void Line(const std::string& s) {
    out_ += s;
    out_ += "\n";
    if (++lines_on_page_ >= page_lines_) Footer();
  }
  void Footer() {
    absl::StrAppend(&out_, "\n\n", Spaces(20 + prng_.Below(50)), "-", ++page_, "-\n");
    lines_on_page_ = 0;
  }
  // Wraps prose at ~30 characters as a narrow PDF column does.
  void Para(const std::string& text) {
    std::string rest = text;
    bool first = true;
    while (!rest.empty()) {
      auto [head, tail] = SplitChars(rest, first ? 28 : 30);
      Line((first ? Spaces(5) : "") + head);
      rest = tail;
      first = false;
    }
  }
  std::string Numbers(const std::vector<std::string>& values) {
    std::string s;
    for (const auto& v : values) s += PadLeft(v, cell_width_ + prng_.Below(2));
    return s;
  }

  void TableTwo() {
    for (const T2Block& block : T2Blocks(spec_.variant.format)) {
      Line("");
      Line(Spaces(30 + prng_.Below(10)) + block.title);
      Line("");
      std::string header = Spaces(20) + block.headers[0] + Spaces(6);
      for (size_t i = 1; i < block.headers.size(); ++i) header += block.headers[i] + Spaces(4);
      Line(header);
      Line("");
      for (const auto& [label, stem] : block.rows) {
        std::string line = PadRight(label, 50);
        for (const auto& v : T2Values(spec_, stem)) line += PadLeft(v, 14);
        Line(line);
        if (prng_.Chance(400)) Line("");
      }
    }
    Line("");
  }

  void TableThree() {
    const auto& cols = T3ColumnLabels();
    Line(Spaces(62) + "申请人情况");
    Line("");
    Line(Spaces(57) + "法人或其他组织");
    const auto note = SplitChars(kT3Note, 22);
    Line(note.first);
    Line(note.second);
    Line(Spaces(45) + cols[0] + Spaces(9) + "社会 法律" + Spaces(16) + cols[6]);
    Line(Spaces(51) + "商业 科研");
    Line(Spaces(57) + "公益 服务 其他");
    Line(Spaces(51) + "企业 机构");
    Line(Spaces(57) + "组织 机构");
    Line("");
    const auto lines = T3Lines(spec_, style_);
    const bool group_own_line = prng_.Chance(500);
    size_t rotated_at = 4 + prng_.Below(8);
    size_t index = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      const T3Line& l = lines[i];
      const T3RowLabel& label = T3Label(l.row);
      std::string text;
      size_t indent = 0;
      if (!label.outcome) {
        text = l.a;
      } else if (label.leaf.empty()) {
        indent = 18;
        text = style_.Apply(label.group);
      } else {
        indent = 28;
        text = l.c;
        if (!l.b.empty() && !group_own_line) text = l.b + l.c, indent = 18;
      }
      // The group label printed on a line of its own, mid-group.
      if (group_own_line && !label.leaf.empty()) {
        const size_t pos = group_pos_[label.group]++;
        size_t size = 0;
        for (const T3Line& other : lines) size += T3Label(other.row).group == label.group;
        if (pos == size / 2) Line(Spaces(18) + style_.Apply(label.group));
      }
      if (label.outcome && ++index == rotated_at) {
        Line(" 三 、本 年 度办 理 结果");
        Line("");
        Line("");
      }
      const auto values = Numbers(T3Values(spec_, l.row));
      // Long labels wrap in a narrow cell: the numbers stand on the first
      // line or on a line of their own after the label (a tall cell).
      if (CharCount(text) > 18 && prng_.Chance(600)) {
        std::vector<std::string> parts;
        std::string rest = text;
        while (!rest.empty()) {
          auto [head, tail] = SplitChars(rest, 12 + prng_.Below(5));
          parts.push_back(head);
          rest = tail;
        }
        if (prng_.Chance(500)) {
          for (const auto& part : parts) Line(Spaces(indent) + part);
          Line(Spaces(label_width_) + values);
        } else {
          Line(PadRight(Spaces(indent) + parts[0], label_width_) + values);
          for (size_t p = 1; p < parts.size(); ++p) Line(Spaces(indent) + parts[p]);
        }
      } else {
        Line(PadRight(Spaces(indent) + text, label_width_) + values);
      }
    }
  }

  void TableFour() {
    Line(Spaces(10) + "行政复议" + Spaces(30) + "行政诉讼");
    Line("");
    Line(Spaces(30) + "未经复议直接起诉" + Spaces(18) + "复议后起诉");
    Line("");
    Line("结果   结果     其他   尚未");
    Line(Spaces(20) + "总 计 结果 结果 其他       尚未     结果 结果 其他 尚未");
    Line("维持   纠正     结果   审结" + Spaces(47) + "总计");
    Line(Spaces(42) + "总 计");
    Line(Spaces(24) + "维持 纠正 结果       审结     维持 纠正 结果 审结");
    Line("");
    Line("");
    std::string values;
    for (const auto& v : T4Values(spec_)) values += PadRight(v, 4 + prng_.Below(3));
    Line(values);
    Line("");
  }

  const ReportSpec& spec_;
  Prng& prng_;
  LabelStyle style_;
  size_t label_width_, cell_width_, page_lines_;
  size_t lines_on_page_ = 0;
  int page_ = 0;
  std::map<std::string, size_t> group_pos_;
  std::string out_;
};

// ----------------------------------------------------------- digit runs --

// A page archived as text with every table cell concatenated (the pingtan
// archive): a header, then the whole body on one line.
class DigitRunPrinter {
 public:
  DigitRunPrinter(const ReportSpec& spec, Prng& prng, std::vector<DigitRun>* runs)
      : spec_(spec), prng_(prng), runs_(runs) {}

  std::string Print() {
    std::string out;
    absl::StrAppend(&out, "标题: ", spec_.title, "\n");
    absl::StrAppend(&out, "发布时间: ", spec_.year + 1, "-0", 1 + prng_.Below(3), "-",
                    10 + prng_.Below(18), " ", 9 + prng_.Below(9), ":", 10 + prng_.Below(49), "\n");
    absl::StrAppend(&out, "文号: \n发布机构: \n栏目: 政府信息公开年报\n");
    absl::StrAppend(&out, "原文链接: https://www.example.gov.cn/zwgk/zfxxgknb/", spec_.year + 1,
                    "/示例.htm\n");
    absl::StrAppend(&out, "==================== 正文 ====================\n");
    std::string body = "当前位置： 首页政务公开政府信息公开年报 " + spec_.title + " ";
    const auto& headings = SectionHeadings();
    body += spec_.preamble;
    body += headings[0];
    for (const auto& p : spec_.overview) body += p;
    body += Sep() + headings[1] + Sep();
    for (const T2Block& block : T2Blocks(spec_.variant.format)) {
      body += block.title + absl::StrJoin(block.headers, "");
      for (const auto& [label, stem] : block.rows) {
        body += label;
        std::vector<std::string> keys;
        for (const T2Row& row : T2Rows(spec_.variant.format)) {
          if (row.stem != stem) continue;
          for (const auto& c : row.columns) keys.push_back(absl::StrCat(stem, ".", c));
        }
        body += Run(keys);
      }
      body += Sep();
    }
    body += headings[2] + kT3Note + "申请人情况自然人法人或其他组织总计" + Sep() +
            "商业企业科研机构社会公益组织法律服务机构其他";
    const LabelStyle plain;
    for (const T3Line& l : T3Lines(spec_, plain)) {
      body += l.a + l.b + l.c;
      std::vector<std::string> keys;
      for (const auto& c : T3Columns()) keys.push_back(T3Key(l.row, c));
      body += Run(keys);
    }
    body += " " + headings[3] + " 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
            "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计"
            "结果维持结果纠正其他结果尚未审结总计";
    std::vector<std::string> t4keys;
    for (const auto& g : T4Groups())
      for (const auto& c : T4Columns()) t4keys.push_back(T4Key(g, c));
    body += Run(t4keys);
    body += Sep() + headings[4];
    for (const auto& p : spec_.problems) body += p;
    body += headings[5] + spec_.other_matters + " 附件下载";
    return out + body + "\n";
  }

 private:
  std::string Sep() { return prng_.Chance(500) ? " " : ""; }

  // The cells of `keys` concatenated, with a space at a cell boundary now
  // and then (as the archive has: `230 000023`).
  std::string Run(const std::vector<std::string>& keys) {
    DigitRun run;
    run.keys = keys;
    std::string printed;
    const bool spaced = prng_.Chance(80);
    for (size_t i = 0; i < keys.size(); ++i) {
      std::string v = Printed(spec_, keys[i]);
      if (absl::EndsWith(v, "元")) {
        v.resize(v.size() - std::string("元").size());
        run.yuan = true;
        printed += v;
        run.text += v;
        printed += "元";
        continue;
      }
      if (i > 0 && spaced && prng_.Chance(300)) {
        printed += " ";
        run.text += " ";
      }
      printed += v;
      run.text += v;
    }
    runs_->push_back(run);
    return printed;
  }

  const ReportSpec& spec_;
  Prng& prng_;
  std::vector<DigitRun>* runs_;
};

// ----------------------------------------------------------------- HTML --

class HtmlPrinter {
 public:
  HtmlPrinter(const ReportSpec& spec, Prng& prng) : spec_(spec), prng_(prng) {
    word_export_ = prng.Chance(500);
  }

  std::string Print() {
    std::string out =
        "<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" "
        "content=\"text/html; charset=utf-8\">\n<title>" +
        spec_.title +
        "</title>\n<style>td{border:1px solid #000}</style>\n</head>\n<body>\n"
        "<div class=\"nav\">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>\n"
        "<div class=\"TRS_Editor\">\n";
    absl::StrAppend(&out, "<p style=\"text-align:center\"><strong>", spec_.title,
                    "</strong></p>\n");
    absl::StrAppend(&out, P(spec_.preamble));
    const auto& headings = SectionHeadings();
    absl::StrAppend(&out, H(headings[0]));
    for (const auto& p : spec_.overview) absl::StrAppend(&out, P(p));
    absl::StrAppend(&out, H(headings[1]), TableTwo(), H(headings[2]), TableThree(),
                    H(headings[3]), TableFour(), H(headings[4]));
    for (const auto& p : spec_.problems) absl::StrAppend(&out, P(p));
    absl::StrAppend(&out, H(headings[5]), P(spec_.other_matters));
    out += "</div>\n<script>var _hmt = _hmt || [];</script>\n</body>\n</html>\n";
    return out;
  }

 private:
  static std::string P(const std::string& text) {
    return "<p style=\"text-indent:2em\">" + text + "</p>\n";
  }
  static std::string H(const std::string& text) {
    return "<p><strong>" + text + "</strong></p>\n";
  }
  std::string Td(const std::string& text, int colspan = 1, int rowspan = 1) {
    std::string attrs;
    if (colspan > 1) absl::StrAppend(&attrs, " colspan=\"", colspan, "\"");
    if (rowspan > 1) absl::StrAppend(&attrs, " rowspan=\"", rowspan, "\"");
    std::string body = text.empty() ? "&nbsp;" : text;
    if (word_export_) {
      body = "<p class=\"MsoNormal\" align=\"center\"><span style=\"font-size:10.5pt\">" +
             body + "</span></p>";
    }
    return "<td" + attrs + " valign=\"middle\">" + body + "</td>";
  }
  std::string Tr(const std::string& cells) { return "<tr>" + cells + "</tr>\n"; }

  std::string TableTwo() {
    std::string out = "<table border=\"1\" cellspacing=\"0\"><tbody>\n";
    for (const T2Block& block : T2Blocks(spec_.variant.format)) {
      const int width = static_cast<int>(block.headers.size());
      out += Tr(Td(block.title, width));
      std::string header;
      for (const auto& h : block.headers) header += Td(h);
      out += Tr(header);
      for (const auto& [label, stem] : block.rows) {
        std::string row = Td(label);
        for (const auto& v : T2Values(spec_, stem)) row += Td(v);
        out += Tr(row);
      }
    }
    return out + "</tbody></table>\n";
  }

  std::string TableThree() {
    const auto& cols = T3ColumnLabels();
    std::string out = "<table border=\"1\" cellspacing=\"0\"><tbody>\n";
    out += Tr(Td(kT3Note, 3, 3) + Td("申请人情况", 7));
    out += Tr(Td(cols[0], 1, 2) + Td("法人或其他组织", 5) + Td(cols[6], 1, 2));
    std::string sub;
    for (size_t i = 1; i <= 5; ++i) sub += Td(cols[i]);
    out += Tr(sub);
    const auto rows = T3Rows(spec_.variant);
    size_t outcome_rows = 0;
    std::map<std::string, int> group_size;
    for (const auto& row : rows) {
      const T3RowLabel& l = T3Label(row);
      if (l.outcome) ++outcome_rows;
      if (!l.leaf.empty()) ++group_size[l.group];
    }
    bool first_outcome = true;
    std::string last_group;
    for (const auto& row : rows) {
      const T3RowLabel& l = T3Label(row);
      std::string cells;
      if (!l.outcome) {
        cells = Td(l.group, 3);
      } else {
        if (first_outcome) cells += Td(kOutcome, 1, static_cast<int>(outcome_rows));
        first_outcome = false;
        if (l.leaf.empty()) {
          cells += Td(l.group, 2);
        } else {
          if (l.group != last_group) cells += Td(l.group, 1, group_size[l.group]);
          cells += Td(l.leaf);
        }
      }
      last_group = l.group;
      for (const auto& v : T3Values(spec_, row)) cells += Td(v);
      out += Tr(cells);
    }
    return out + "</tbody></table>\n";
  }

  std::string TableFour() {
    const auto& groups = T4GroupLabels();
    const auto& c4 = T4ColumnLabels();
    std::string out = "<table border=\"1\" cellspacing=\"0\"><tbody>\n";
    out += Tr(Td(groups[0], 5) + Td("行政诉讼", 10));
    std::string r2;
    for (const auto& c : c4) r2 += Td(c, 1, 2);
    r2 += Td(groups[1], 5) + Td(groups[2], 5);
    out += Tr(r2);
    std::string r3;
    for (int i = 0; i < 2; ++i)
      for (const auto& c : c4) r3 += Td(c);
    out += Tr(r3);
    std::string r4;
    for (const auto& v : T4Values(spec_)) r4 += Td(v);
    out += Tr(r4);
    return out + "</tbody></table>\n";
  }

  const ReportSpec& spec_;
  Prng& prng_;
  bool word_export_ = false;
};

}  // namespace

std::string RenderReport(const ReportSpec& spec, Layout layout, Prng& prng,
                         std::vector<DigitRun>* runs) {
  switch (layout) {
    case Layout::kAligned: {
      AlignedPrinter printer(spec, prng);
      return printer.Print();
    }
    case Layout::kDigitRun: {
      DigitRunPrinter printer(spec, prng, runs);
      return printer.Print();
    }
    case Layout::kHtml: {
      HtmlPrinter printer(spec, prng);
      return printer.Print();
    }
    case Layout::kTsv:
    case Layout::kPipe:
    case Layout::kMarkdown:
      break;
  }
  return RenderSeparated(spec, layout, prng);
}

}  // namespace corpusgen
}  // namespace gongkai
