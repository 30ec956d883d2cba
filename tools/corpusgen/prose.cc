#include "tools/corpusgen/prose.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace gongkai {
namespace corpusgen {
namespace {

// Sentence templates. Markers: {n} a count in [1, max_count], {p} a
// percentage, {y} the report's year, {y1} the next year, {m} a month, {d} a
// document number, {doc} a document-number prefix (政办发 …), {r} the
// applications received, {s} the normative documents issued.
struct Subsection {
  const char* heading;  // "（一）主动公开情况"
  std::vector<const char*> sentences;
};

const std::vector<Subsection>& OverviewSubsections() {
  static const auto* kSubsections = new std::vector<Subsection>{
      {"（一）主动公开情况",
       {"全年制发规范性文件{s}件，均按要求在政府网站公开，政策解读与文件同步发布。",
        "全年通过政府门户网站主动公开政府信息{n}条，其中政策文件{n}条，工作动态{n}条。",
        "通过政务微信公众号、微博等新媒体发布信息{n}条，阅读量累计{n}人次。",
        "召开新闻发布会{n}场，主要负责同志出席发布会解读政策{n}次。",
        "围绕{y}年重点工作，发布政策解读材料{n}篇，其中图文解读{n}篇，视频解读{n}个。",
        "及时更新机构职能、权责清单等基础信息，累计更新{n}项。",
        "按照《{y}年政务公开工作要点》（{doc}〔{y}〕{d}号）要求，细化分解年度任务{n}项。",
        "财政预决算信息在批复后20日内全部公开，公开率达{p}%。",
        "重点领域信息公开方面，公开重大建设项目信息{n}条，公共资源配置信息{n}条，社会公益事业信息{n}条。",
        "全年公开行政许可、行政处罚等“双公示”信息{n}条，做到应公开尽公开。",
        "在政府网站开设疫情防控、稳岗就业等专题专栏{n}个，集中发布相关政策{n}条。",
        "建议提案办理结果公开{n}件，其中人大代表建议{n}件，政协委员提案{n}件。",
        "围绕优化营商环境，集中公开涉企政策{n}条，编印政策汇编{n}册，发放到企业{n}家。",
        "做好减税降费、稳岗补贴等惠企政策公开，全年发布政策信息{n}条，开展政策宣讲{n}场，受益市场主体{n}余家。",
        "公开年度财政预算、决算和“三公”经费情况，全年公开部门预决算{n}个，投入专项经费{n}万元。",
        "及时发布突发事件应对、安全生产、食品药品监管等信息{n}条，回应社会关切{n}次，同比增长{p}%。",
        "通过“政府开放日”“政策进社区”等活动，组织群众走进机关{n}场次，参与群众{n}人次，现场解答政策咨询{n}个。",
        "在民生领域，公开教育、医疗、住房保障、养老服务等信息{n}条，其中公示保障对象名单{n}批次。"}},
      {"（二）依申请公开情况",
       {"全年共收到政府信息公开申请{r}件，均在法定期限内答复。",
        "申请内容主要涉及征地拆迁、社会保障、规划建设等领域。",
        "严格按照《条例》规定的程序受理、登记、办理和答复，答复平均用时{n}个工作日。",
        "对申请内容不明确的，及时告知申请人补正，并做好解释说明工作。",
        "依申请公开答复文书统一使用规范模板，全年修订答复模板{n}个。",
        "行政复议和行政诉讼情况见本报告第四部分。",
        "{y}年{m}月组织开展依申请公开答复规范化专项检查，抽查答复件{n}件。",
        "畅通当面、信函、网络等申请渠道，在政府门户网站提供在线申请服务，全年在线申请占比{p}%。",
        "对涉及第三方合法权益的申请，依法书面征求第三方意见，全年征求意见{n}次。",
        "加强与法制审核部门的会商，对疑难复杂申请集体研究，全年会商{n}次，形成典型案例{n}个。"}},
      {"（三）政府信息管理情况",
       {"严格落实信息发布审核制度，坚持先审后发，全年开展保密审查{n}次。",
        "修订完善政府信息公开审查、发布等制度{n}项。",
        "开展规范性文件清理工作，清理文件{n}件，清理结果已向社会公布。",
        "建立政府信息公开台账，对公开属性实行动态管理，全年调整公开属性{n}条。",
        "落实政策文件库建设要求，集中公开现行有效文件{n}件。",
        "对照基层政务公开标准目录，动态更新事项{n}项。",
        "按照“谁制作、谁公开，谁保存、谁公开”的原则，明确各科室公开职责，全年报送信息{n}条，采用{n}条。",
        "完善政策解读与文件同步起草、同步审签、同步发布机制，全年解读文件{n}件，解读率达{p}%。",
        "对历史公开信息开展全面排查，清理过期失效信息{n}条，纠正错链断链{n}处。"}},
      {"（四）政府信息公开平台建设情况",
       {"充分发挥政府门户网站第一平台作用，规范设置政府信息公开专栏。",
        "政府门户网站全年访问量{n}万人次，发布信息{n}条。",
        "在政务服务大厅设置政府信息公开查阅点{n}个，接待群众查阅{n}人次。",
        "现有政务新媒体账号{n}个，全年开展运维检查{n}次，整改问题{n}个。",
        "完成网站集约化改造，迁移栏目{n}个，历史信息{n}条。",
        "开通政民互动栏目，全年受理留言{n}件，办结率{p}%。",
        "推进政务公开专区建设，在乡镇（街道）便民服务中心设立专区{n}个，配备自助查询终端{n}台。",
        "依托政务服务热线受理政策咨询{n}件，按时办结率{p}%，群众满意率{p}%。",
        "优化网站搜索和无障碍浏览功能，完成适老化改造栏目{n}个，全年网站可用性监测{n}次。"}},
      {"（五）监督保障情况",
       {"将政务公开纳入年度绩效考核，分值占比{p}%。",
        "组织政务公开业务培训{n}期，参训人员{n}人次。",
        "开展政府网站和政务新媒体检查{n}次，通报问题{n}个，均已整改。",
        "{y}年{m}月召开政务公开工作推进会，部署年度重点任务。",
        "调整政务公开工作领导小组，明确专职工作人员{n}名。",
        "聘请社会监督员{n}名，收集意见建议{n}条。",
        "建立政务公开工作月通报制度，全年印发通报{n}期，督促整改问题{n}个。",
        "主要负责同志专题听取政务公开工作汇报{n}次，研究解决具体问题{n}个。",
        "开展第三方评估，对照评估指标逐项整改，整改完成率{p}%。"}},
  };
  return *kSubsections;
}

constexpr const char* kProblems[] = {
    "公开内容的深度和广度有待提升", "政策解读形式不够丰富，图解、视频等解读数量偏少",
    "基层政务公开标准化规范化建设有待深化", "工作人员业务水平有待提高",
    "依申请公开答复的规范性仍需加强", "政务新媒体更新频率不够稳定",
    "部分栏目信息更新不够及时"};

constexpr const char* kImprovements[] = {
    "加强重点领域信息公开", "丰富解读形式，增加图文、视频解读",
    "加强业务培训，全年至少组织培训{n}次", "完善依申请公开办理流程",
    "推进基层政务公开标准目录动态更新", "加强政务新媒体日常监管",
    "建立栏目信息更新提醒机制"};

constexpr const char* kDocPrefixes[] = {"政办发", "政办函", "政发", "办字"};

// A percentage as reports print them: 100, or 90–99 with one decimal.
std::string Percent(Prng& prng) {
  if (prng.Chance(400)) return "100";
  return absl::StrFormat("%d.%d", 90 + static_cast<int>(prng.Below(10)),
                         static_cast<int>(prng.Below(10)));
}

// `tmpl` with its markers replaced.
std::string Fill(absl::string_view tmpl, const ProseOptions& o, Prng& prng) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] != '{') {
      out += tmpl[i++];
      continue;
    }
    const size_t close = tmpl.find('}', i);
    const absl::string_view marker = tmpl.substr(i + 1, close - i - 1);
    i = close + 1;
    if (marker == "n") {
      absl::StrAppend(&out, 1 + prng.LogUniform(std::max<int64_t>(o.max_count, 1) - 1));
    } else if (marker == "p") {
      out += Percent(prng);
    } else if (marker == "y") {
      absl::StrAppend(&out, o.year);
    } else if (marker == "y1") {
      absl::StrAppend(&out, o.year + 1);
    } else if (marker == "m") {
      absl::StrAppend(&out, prng.Range(1, 12));
    } else if (marker == "d") {
      absl::StrAppend(&out, prng.Range(1, 199));
    } else if (marker == "doc") {
      out += kDocPrefixes[prng.Below(4)];
    } else if (marker == "r") {
      out += o.applications_received;
    } else if (marker == "s") {
      out += o.normative_issued;
    }
  }
  return out;
}

// The indices 0 … n-1 in a drawn order.
std::vector<size_t> Shuffled(size_t n, Prng& prng) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[prng.Below(i)]);
  return order;
}

// "一是A；二是B；三是C。" from `count` distinct items of `items`.
template <size_t N>
std::string Enumerated(const char* const (&items)[N], size_t count, const ProseOptions& o,
                       Prng& prng) {
  static constexpr const char* kOrdinals[] = {"一是", "二是", "三是", "四是"};
  const std::vector<size_t> order = Shuffled(N, prng);
  std::string out;
  for (size_t k = 0; k < std::min({count, N, size_t{4}}); ++k) {
    absl::StrAppend(&out, k == 0 ? "" : "；", kOrdinals[k], Fill(items[order[k]], o, prng));
  }
  return out + "。";
}

}  // namespace

void WriteProse(const ProseOptions& o, Prng& prng, ReportSpec* spec) {
  const std::string notice = o.format == gongkai::v1::REPORT_FORMAT_F2019
                                 ? "（国办公开办函〔2019〕60号）"
                                 : "（国办公开办函〔2021〕30号）";
  spec->preamble = absl::StrCat(
      "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开"
      "办公室关于政府信息公开工作年度报告有关事项的通知》",
      notice, "要求，编制本年度报告。本报告中所列数据的统计期限自", o.year, "年1月1日起至",
      o.year, "年12月31日止。本报告为示例数据。");

  const int64_t budget = prng.Range(o.min_overview_bytes, o.max_overview_bytes);
  spec->overview = {absl::StrCat(
      o.year, "年，在上级政务公开主管部门的指导下，认真贯彻落实《条例》，紧紧围绕中心工作，"
              "以公开促落实、促规范、促服务。")};
  const auto& subsections = OverviewSubsections();
  const int64_t per_subsection = budget / static_cast<int64_t>(subsections.size());
  for (const Subsection& sub : subsections) {
    // The first sentence states the subsection's figure from the tables
    // where it has one; the rest come in a drawn order, none twice.
    std::vector<size_t> order = Shuffled(sub.sentences.size() - 1, prng);
    for (size_t& k : order) ++k;
    order.insert(order.begin(), 0);
    const bool own_line = prng.Chance(300);  // the heading as a paragraph
    if (own_line) spec->overview.push_back(sub.heading);
    std::string paragraph = own_line ? "" : absl::StrCat(sub.heading, "。");
    int64_t written = 0;
    size_t in_paragraph = 0;
    for (size_t k : order) {
      if (written >= per_subsection) break;
      const std::string sentence = Fill(sub.sentences[k], o, prng);
      written += static_cast<int64_t>(sentence.size());
      paragraph += sentence;
      if (++in_paragraph >= 2 + prng.Below(3)) {
        spec->overview.push_back(std::move(paragraph));
        paragraph.clear();
        in_paragraph = 0;
      }
    }
    if (!paragraph.empty()) spec->overview.push_back(std::move(paragraph));
  }

  const size_t problems = 2 + prng.Below(3);
  spec->problems = {
      absl::StrCat("（一）存在的主要问题。", Enumerated(kProblems, problems, o, prng)),
      absl::StrCat(prng.Chance(500) ? "（二）改进情况。" : "（二）改进措施。",
                   Enumerated(kImprovements, problems + prng.Below(2), o, prng))};
  if (budget > 3000) {
    spec->problems.push_back(absl::StrCat(
        o.year + 1, "年，将继续对照政务公开工作要点，逐项抓好落实，不断提升政务公开质量和实效。"));
  }

  spec->other_matters = absl::StrCat(
      "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），", o.year,
      "年本机关未收取政府信息公开信息处理费，收费金额为0元。");
  if (prng.Chance(500)) {
    absl::StrAppend(&spec->other_matters,
                    Fill("全年办理人大代表建议{n}件、政协委员提案{n}件，办理结果均已公开。", o, prng));
  }
  spec->other_matters += "无其他需要报告的事项。";
}

}  // namespace corpusgen
}  // namespace gongkai
