#!/usr/bin/env python3
"""Writes the synthetic sample reports of tests/data/aggregate/samples/.

Every report is invented (示例 in each title) but names real divisions so the
region resolver places it. Tables are tab-separated like the real seeds and
their arithmetic is consistent (R1-R4), except 海林市's, which breaks R1 on
purpose. Run: python3 tests/data/aggregate/make_samples.py
"""
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "samples")

T3_COLUMNS = 6  # natural, commercial, research, social, legal, other_org
DENIED = ["1. 属于国家秘密", "2. 其他法律行政法规禁止公开", "3. 危及“三安全一稳定”",
          "4. 保护第三方合法权益", "5. 属于三类内部事务信息", "6. 属于四类过程性信息",
          "7. 属于行政执法案卷", "8. 属于行政查询事项"]
UNAVAILABLE = ["1. 本机关不掌握相关政府信息", "2. 没有现成信息需要另行制作", "3. 补正后申请内容仍不明确"]
REJECTED = ["1. 信访举报投诉类申请", "2. 重复申请", "3. 要求提供公开出版物", "4. 无正当理由大量反复申请",
            "5. 要求行政机关确认或重新出具已获取信息"]
OTHER_2021 = ["1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3. 其他"]


def row(label, values):
    return label + "\t" + "\t".join(str(v) for v in values)


def t3_table(rng, f2021, break_r1):
    """Table 三 rows (label, 7 values) with R1-R3 holding (R1 broken if asked)."""
    leaves_count = 2 + len(DENIED) + len(UNAVAILABLE) + len(REJECTED) + (3 if f2021 else 1)
    new = [rng.randint(0, 30) if c < 2 else rng.randint(0, 2) for c in range(T3_COLUMNS)]
    carried = [rng.randint(0, 2) if c == 0 else 0 for c in range(T3_COLUMNS)]
    forward = [min(new[c] + carried[c], rng.randint(0, 2)) for c in range(T3_COLUMNS)]
    leaves = [[0] * T3_COLUMNS for _ in range(leaves_count)]
    for c in range(T3_COLUMNS):
        for _ in range(new[c] + carried[c] - forward[c]):
            # Most applications are granted; the rest spread over the leaves.
            leaves[0 if rng.random() < 0.6 else rng.randrange(leaves_count)][c] += 1
    total = [sum(leaf[c] for leaf in leaves) for c in range(T3_COLUMNS)]
    if break_r1:
        forward[0] += 3  # R1: new + carried_over != total + carried_forward

    def with_total(values):
        return values + [sum(values)]

    rows = [row("一、本年新收政府信息公开申请数量\t", with_total(new)),
            row("二、上年结转政府信息公开申请数量\t", with_total(carried)),
            row("三、本年度办理结果\t（一）予以公开", with_total(leaves[0])),
            row("\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）", with_total(leaves[1]))]
    i = 2
    for n, label in enumerate(DENIED):
        rows.append(row(("\t（三）不予公开\t" if n == 0 else "\t\t") + label, with_total(leaves[i])))
        i += 1
    for n, label in enumerate(UNAVAILABLE):
        rows.append(row(("\t（四）无法提供\t" if n == 0 else "\t\t") + label, with_total(leaves[i])))
        i += 1
    for n, label in enumerate(REJECTED):
        rows.append(row(("\t（五）不予处理\t" if n == 0 else "\t\t") + label, with_total(leaves[i])))
        i += 1
    if f2021:
        for n, label in enumerate(OTHER_2021):
            rows.append(row(("\t（六）其他处理\t" if n == 0 else "\t\t") + label, with_total(leaves[i])))
            i += 1
    else:
        rows.append(row("\t（六）其他处理", with_total(leaves[i])))
    rows.append(row("\t（七）总计", with_total(total)))
    rows.append(row("四、结转下年度继续办理\t", with_total(forward)))
    return rows, sum(new)


def t4_row(rng):
    values = []
    for _ in range(3):
        parts = [rng.randint(0, 2) for _ in range(4)]
        values += parts + [sum(parts)]
    return values


def t2_block(rng, f2021):
    if f2021:
        normative = [rng.randint(0, 9), rng.randint(0, 3), rng.randint(20, 60)]
        return [
            "第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            row("规章", [0, 0, 0]), row("行政规范性文件", normative),
            "第二十条第（五）项", "信息内容\t本年处理决定数量", row("行政许可", [rng.randint(100, 9000)]),
            "第二十条第（六）项", "信息内容\t本年处理决定数量",
            row("行政处罚", [rng.randint(10, 900)]), row("行政强制", [rng.randint(0, 50)]),
            "第二十条第（八）项", "信息内容\t本年收费金额（单位：万元）",
            row("行政事业性收费", ["%d.%04d" % (rng.randint(10, 900), rng.randint(0, 9999))]),
        ]
    return [
        "第二十条第（一）项", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
        row("规章", [0, 0, 0]), row("规范性文件", [3, 3, rng.randint(20, 60)]),
        "第二十条第（五）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
        row("行政许可", [rng.randint(50, 300), 0, rng.randint(100, 9000)]),
        row("其他对外管理服务事项", [rng.randint(10, 90), rng.randint(-5, 5), rng.randint(100, 900)]),
        "第二十条第（六）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
        row("行政处罚", [rng.randint(100, 900), 0, rng.randint(10, 900)]),
        row("行政强制", [rng.randint(5, 90), 0, rng.randint(0, 50)]),
        "第二十条第（八）项", "信息内容\t上一年项目数量\t本年增/减",
        row("行政事业性收费", [rng.randint(5, 30), 0]),
        "第二十条第（九）项", "信息内容\t采购项目数量\t采购总金额",
        row("政府集中采购", [rng.randint(5, 90), "%d.%04d" % (rng.randint(100, 9000), rng.randint(0, 9999))]),
    ]


def report(organ, year, province_doc, city_doc, seed, f2021=False, break_r1=False, body="县"):
    rng = random.Random(seed)
    t3_rows, received = t3_table(rng, f2021, break_r1)
    lines = [
        f"{organ}{year}年政府信息公开工作年度报告（示例）",
        "",
        f"本报告为虚构的示例数据，仅用于演示。本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。",
        "",
        "一、总体情况",
        "",
        f"{year}年，按照《{province_doc}人民政府办公厅关于印发{province_doc}{year}年政务公开工作要点的通知》"
        f"和《{city_doc}人民政府办公室关于做好{year}年政务公开工作的通知》要求，我{body}认真贯彻落实《条例》。"
        f"全年共收到政府信息公开申请{received}件。",
        "",
        "二、主动公开政府信息情况",
        "",
        *t2_block(rng, f2021),
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况",
        "\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
        *t3_rows,
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "",
        "行政复议\t\t\t\t\t行政诉讼",
        "\t\t\t\t\t未经复议直接起诉\t\t\t\t\t复议后起诉",
        "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3),
        "\t".join(str(v) for v in t4_row(rng)),
        "",
        "五、存在的主要问题及改进情况",
        "",
        "示例：公开内容的及时性有待提高。下一步将加强培训，规范发布流程。",
        "",
        "六、其他需要报告的事项",
        "",
        f"{year}年，未收取信息处理费。",
        "",
    ]
    return "\n".join(lines)


SAMPLES = [
    ("01_ningan_2020.txt", dict(organ="宁安市", year=2020, province_doc="黑龙江省", city_doc="牡丹江市", seed=1, body="市")),
    ("02_hailin_2020_r1_error.txt", dict(organ="海林市", year=2020, province_doc="黑龙江省", city_doc="牡丹江市", seed=2, body="市", break_r1=True)),
    ("03_dongning_2020.txt", dict(organ="东宁市", year=2020, province_doc="黑龙江省", city_doc="牡丹江市", seed=3, body="市")),
    ("04_bohai_township_2020.txt", dict(organ="宁安市渤海镇人民政府", year=2020, province_doc="黑龙江省", city_doc="牡丹江市", seed=4, body="镇")),
    ("05_ningan_education_bureau_2020.txt", dict(organ="宁安市教育局", year=2020, province_doc="黑龙江省", city_doc="牡丹江市", seed=5, body="局")),
    ("06_yiyang_2020.txt", dict(organ="宜阳县", year=2020, province_doc="河南省", city_doc="洛阳市", seed=6)),
    ("07_songxian_2020.txt", dict(organ="嵩县人民政府", year=2020, province_doc="河南省", city_doc="洛阳市", seed=7)),
    ("08_mengjin_county_2020.txt", dict(organ="孟津县", year=2020, province_doc="河南省", city_doc="洛阳市", seed=8)),
    ("09_yiyang_2021_f2021.txt", dict(organ="宜阳县", year=2021, province_doc="河南省", city_doc="洛阳市", seed=9, f2021=True)),
]

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, args in SAMPLES:
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            f.write(report(**args))
    print(f"wrote {len(SAMPLES)} samples to {OUT}")
