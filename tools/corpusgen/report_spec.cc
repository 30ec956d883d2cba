#include "tools/corpusgen/report_spec.h"

#include "absl/strings/match.h"

namespace gongkai {
namespace corpusgen {

const T3RowLabel& T3Label(const std::string& row) {
  static const auto* kLabels = new std::map<std::string, T3RowLabel>{
      {"new", {"一、本年新收政府信息公开申请数量", "", false}},
      {"carried_over", {"二、上年结转政府信息公开申请数量", "", false}},
      {"granted", {"（一）予以公开", "", true}},
      {"partial", {"（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", true}},
      {"denied.state_secret", {"（三）不予公开", "1.属于国家秘密", true}},
      {"denied.prohibited", {"（三）不予公开", "2.其他法律行政法规禁止公开", true}},
      {"denied.security_stability", {"（三）不予公开", "3.危及“三安全一稳定”", true}},
      {"denied.third_party", {"（三）不予公开", "4.保护第三方合法权益", true}},
      {"denied.internal_affairs", {"（三）不予公开", "5.属于三类内部事务信息", true}},
      {"denied.process_info", {"（三）不予公开", "6.属于四类过程性信息", true}},
      {"denied.enforcement_file", {"（三）不予公开", "7.属于行政执法案卷", true}},
      {"denied.query", {"（三）不予公开", "8.属于行政查询事项", true}},
      {"unavailable.not_held", {"（四）无法提供", "1.本机关不掌握相关政府信息", true}},
      {"unavailable.needs_creation", {"（四）无法提供", "2.没有现成信息需要另行制作", true}},
      {"unavailable.unclear", {"（四）无法提供", "3.补正后申请内容仍不明确", true}},
      {"rejected.petition", {"（五）不予处理", "1.信访举报投诉类申请", true}},
      {"rejected.duplicate", {"（五）不予处理", "2.重复申请", true}},
      {"rejected.publication", {"（五）不予处理", "3.要求提供公开出版物", true}},
      {"rejected.excessive", {"（五）不予处理", "4.无正当理由大量反复申请", true}},
      {"rejected.confirmation",
       {"（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", true}},
      {"other", {"（六）其他处理", "", true}},
      {"other.overdue_correction",
       {"（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", true}},
      {"other.unpaid_fee",
       {"（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", true}},
      {"other.other", {"（六）其他处理", "3.其他", true}},
      {"total", {"（七）总计", "", true}},
      {"carried_forward", {"四、结转下年度继续办理", "", false}},
  };
  return kLabels->at(row);
}

const std::vector<T2Block>& T2Blocks(gongkai::v1::ReportFormat format) {
  static const auto* kF2019 = new std::vector<T2Block>{
      {"第二十条第（一）项",
       {"信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"},
       {{"规章", "t2.rules"}, {"规范性文件", "t2.normative"}}},
      {"第二十条第（五）项",
       {"信息内容", "上一年项目数量", "本年增/减", "处理决定数量"},
       {{"行政许可", "t2.licensing"}, {"其他对外管理服务事项", "t2.other_services"}}},
      {"第二十条第（六）项",
       {"信息内容", "上一年项目数量", "本年增/减", "处理决定数量"},
       {{"行政处罚", "t2.penalty"}, {"行政强制", "t2.coercion"}}},
      {"第二十条第（八）项",
       {"信息内容", "上一年项目数量", "本年增/减"},
       {{"行政事业性收费", "t2.fees"}}},
      {"第二十条第（九）项",
       {"信息内容", "采购项目数量", "采购总金额"},
       {{"政府集中采购", "t2.procurement"}}},
  };
  static const auto* kF2021 = new std::vector<T2Block>{
      {"第二十条第（一）项",
       {"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"},
       {{"规章", "t2.rules"}, {"行政规范性文件", "t2.normative"}}},
      {"第二十条第（五）项", {"信息内容", "本年处理决定数量"}, {{"行政许可", "t2.licensing"}}},
      {"第二十条第（六）项",
       {"信息内容", "本年处理决定数量"},
       {{"行政处罚", "t2.penalty"}, {"行政强制", "t2.coercion"}}},
      {"第二十条第（八）项",
       {"信息内容", "本年收费金额（单位：万元）"},
       {{"行政事业性收费", "t2.fees"}}},
  };
  return format == gongkai::v1::REPORT_FORMAT_F2021 ? *kF2021 : *kF2019;
}

const std::vector<std::string>& T3ColumnLabels() {
  static const auto* kLabels = new std::vector<std::string>{
      "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"};
  return *kLabels;
}

const std::vector<std::string>& T4GroupLabels() {
  static const auto* kLabels =
      new std::vector<std::string>{"行政复议", "未经复议直接起诉", "复议后起诉"};
  return *kLabels;
}

const std::vector<std::string>& T4ColumnLabels() {
  static const auto* kLabels =
      new std::vector<std::string>{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};
  return *kLabels;
}

const std::vector<std::string>& SectionHeadings() {
  static const auto* kHeadings = new std::vector<std::string>{
      "一、总体情况",
      "二、主动公开政府信息情况",
      "三、收到和处理政府信息公开申请情况",
      "四、政府信息公开行政复议、行政诉讼情况",
      "五、存在的主要问题及改进情况",
      "六、其他需要报告的事项"};
  return *kHeadings;
}

}  // namespace corpusgen
}  // namespace gongkai
