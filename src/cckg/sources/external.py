"""The publications outside the report that memberships.csv cites, keyed by source_url."""

from __future__ import annotations

from dataclasses import dataclass

#: The source_url the CSV gives for rows taken from the report itself.
REPORT_URL = "seed/000_075fc2c0e94419c5.txt"


@dataclass(frozen=True)
class ExternalSourceInfo:
    """How one cited publication appears in the graph: its IRI slug and labels."""

    slug: str
    label_en: str
    label_zh: str


EXTERNAL_SOURCES: dict[str, ExternalSourceInfo] = {
    "https://teriin.org/projects/locci/pdf/Book-China-India/files/basic-html/page362.html":
        ExternalSourceInfo(
            "teri-2013-table-3-4",
            "TERI, Low Carbon Development in China and India, Table 3.4 (low-carbon pilots)",
            "TERI《中国和印度的低碳发展》表3.4（低碳试点）",
        ),
    "http://fgw.changzhou.gov.cn/html/fgw/2017/BBAOLMPL_0120/21935.html":
        ExternalSourceInfo(
            "changzhou-drc-2017-third-batch",
            "Changzhou DRC news on the third batch of national low-carbon city pilots (2017)",
            "常州市发展和改革委员会：第三批国家低碳城市试点（2017年）",
        ),
    "http://www.ccgp-fushun.com/environment/2015-09/16/content_36596534.htm":
        ExternalSourceInfo(
            "xinhua-2015-09-16-alliance",
            "Xinhua, 2015-09-16: founding of the China Alliance of Peaking Pioneer Cities",
            "新华社，2015年9月16日：中国达峰先锋城市联盟成立",
        ),
}


@dataclass(frozen=True)
class ReportPassageInfo:
    """The passage of the report that names members of a group."""

    slug: str
    quote: str
    section: str
    label_en: str
    label_zh: str


#: Rows whose source is the report derive from this passage (section 二, 三是, on Zhejiang).
REPORT_PASSAGE = ReportPassageInfo(
    slug="memberships-zhejiang-third-batch",
    quote="鼓励嘉兴、金华、衢州等第三批国家低碳试点城市制定峰值目标",
    section="二、三是",
    label_en="Report, section 2, point 3: Zhejiang encourages its third-batch pilot cities "
    "to set peak targets",
    label_zh="报告 二、三是：浙江鼓励第三批国家低碳试点城市制定峰值目标",
)
