import Foundation
import GovMediaCore

extension WeeklyReport {
    /// The CSV's columns, in Chinese.
    public static let csvHeader = [
        "账号ID", "名称", "主办单位", "平台", "台账状态", "本周结论", "上周结论", "变化", "连续未达标周数", "得分",
        "最近发布", "距监测时间点天数", "窗口内帖子", "三审完整", "单项否决项数", "主要问题", "证据sha256",
    ]

    /// Every account of the week's run, by owner unit and id: UTF-8 with BOM, formulas
    /// neutralised (CSVWriter).
    public func csv() -> [UInt8] {
        var w = CSVWriter(header: Self.csvHeader)
        for r in rows {
            w.append([
                r.id, r.name, r.owner, r.platform, r.status, r.verdict.chineseName, r.previousVerdict?.chineseName ?? "",
                r.change, r.weeks > 0 ? String(r.weeks) : "", r.score.map(String.init) ?? "",
                r.lastPostAt.map(ChinaTime.iso8601) ?? "", r.daysSinceUpdate.map(String.init) ?? "", String(r.postsInWindow),
                String(r.reviewedPosts), String(r.vetoes), r.mainFinding, r.evidenceSHA256,
            ])
        }
        return w.bytes
    }
}
