import Foundation
import GovMediaCore
import GovMediaMail
import GovMediaStore
import Mustache

/// A rectification notice (整改通知) to one owner unit: its open items, the evidence, the
/// deadlines and whom to contact, written as a government notice. Pure: the same items,
/// day and settings always give the same HTML, text and `.eml`.
public struct RectificationNotice: Sendable {
    /// One item as the notice states it.
    public struct Entry: Sendable {
        public var item: RectificationItem
        public var reason: NoticeReason
        /// The rule's Chinese title and the document it rests on.
        public var ruleTitle: String
        public var ruleSource: String
        public var platform: String
        public var url: String

        public init(item: RectificationItem, reason: NoticeReason, ruleTitle: String, ruleSource: String, platform: String, url: String) {
            self.item = item
            self.reason = reason
            self.ruleTitle = ruleTitle
            self.ruleSource = ruleSource
            self.platform = platform
            self.url = url
        }
    }

    /// Who issues the notices and whom the unit calls back: the config's `notices` section.
    public struct Issuer: Sendable, Equatable {
        /// 发文单位, e.g. 净月高新区政务公开办公室.
        public var name: String
        /// 联系人 and telephone, e.g. 王晓明 0431-81234567.
        public var contact: String?

        public init(name: String, contact: String?) {
            self.name = name
            self.contact = contact
        }

        /// Used when the config names no issuer.
        public static let unnamed = Issuer(name: "政务新媒体监管工作组", contact: nil)
    }

    public var unit: String
    /// The China day the notice is dated.
    public var day: CivilDate
    /// Vetoes first, then by deadline.
    public var entries: [Entry]
    public var recipients: [String]
    public var issuer: Issuer

    public init(unit: String, day: CivilDate, entries: [Entry], recipients: [String], issuer: Issuer) {
        self.unit = unit
        self.day = day
        self.entries = entries.sorted {
            let a = ($0.item.severity == .veto ? 0 : 1, $0.item.deadline, $0.item.id)
            let b = ($1.item.severity == .veto ? 0 : 1, $1.item.deadline, $1.item.id)
            return a < b
        }
        self.recipients = recipients
        self.issuer = issuer
    }

    /// The end of the notice's day: items are overdue or not as of then.
    var asOf: Date { ChinaTime.instant(day.adding(days: 1)) }

    /// A short hash of what the notice says and to whom: in its file names and Message-ID.
    public var digest: String {
        let fields = ["rectification-notice.v1", unit, day.description, issuer.name, issuer.contact ?? ""]
            + entries.map { "\($0.item.id):\($0.reason.rawValue):\($0.item.deadline)" } + recipients
        return String(AuditHash.link(previous: AuditHash.genesis, fields: fields).prefix(16))
    }

    /// `整改通知-区民政局-2026-12-01-3fa2c1d9`: safe as a file name, readable in a listing.
    public var fileStem: String {
        let name = HeaderEncoding.sanitise(unit).map { "/\\:*?\"<>|".contains($0) ? "_" : $0 }
        return "整改通知-\(String(name).prefix(40))-\(day)-\(digest.prefix(8))"
    }

    var vetoCount: Int { entries.filter { $0.item.severity == .veto }.count }
    var overdueCount: Int { entries.filter { $0.item.isOverdue(at: asOf) }.count }
    var earliestDeadline: CivilDate? { entries.map(\.item.deadline).min() }

    /// `2026年12月1日`.
    static func chineseDate(_ d: CivilDate) -> String { "\(d.year)年\(d.month)月\(d.day)日" }

    /// The notice as a self-contained, printable HTML page.
    public func html() -> String {
        // The built-in text is tested to parse; failing here is a build defect.
        let template = try! MustacheTemplate(string: Self.template)
        return template.render(context())
    }

    func context() -> [String: Any] {
        [
            "unit": unit, "issuer": issuer.name, "contact": issuer.contact ?? "（未配置联系人，请在配置文件 notices.contact 中填写）",
            "date": Self.chineseDate(day), "count": entries.count, "vetoes": vetoCount, "overdue": overdueCount,
            "hasVetoes": vetoCount > 0, "hasOverdue": overdueCount > 0,
            "earliest": earliestDeadline.map(Self.chineseDate) ?? "",
            "entries": entries.enumerated().map { index, e -> [String: Any] in
                var d: [String: Any] = [
                    "n": index + 1, "id": e.item.id, "account": e.item.accountName, "accountID": e.item.accountID,
                    "platform": e.platform, "url": e.url, "rule": e.item.rule, "ruleTitle": e.ruleTitle, "ruleSource": e.ruleSource,
                    "severity": e.item.severity == .veto ? "单项否决" : "扣分", "veto": e.item.severity == .veto,
                    "found": ChinaTime.short(e.item.foundAt), "deadline": e.item.deadlineText,
                    "state": e.item.isOverdue(at: asOf) ? "已逾期" : e.reason == .due ? "即将到期" : "待整改",
                    "stateClass": e.item.isOverdue(at: asOf) ? "problem" : e.reason == .due ? "due" : "",
                    "responsible": e.item.responsible ?? "（台账未填）",
                    "evidence": e.item.evidence.prefix(6).map { f -> [String: Any] in
                        var line: [String: Any] = ["message": f.message]
                        if let title = f.postTitle { line["post"] = title }
                        if let url = ReportFormat.safeLink(f.postURL) { line["link"] = url } else if let url = f.postURL { line["postURL"] = url }
                        if let sha = f.evidenceSHA256, !sha.isEmpty { line["sha"] = sha }
                        return line
                    },
                    "moreEvidence": max(0, e.item.evidence.count - 6),
                ]
                if d["moreEvidence"] as? Int == 0 { d["moreEvidence"] = nil }
                return d
            },
        ]
    }

    /// The mail body: the notice in plain text, for readers that do not open attachments.
    public func text() -> String {
        var lines = ["\(unit)：", ""]
        lines.append("    经监测，你单位主办的政务新媒体存在以下 \(entries.count) 个问题" + (vetoCount > 0 ? "（其中单项否决 \(vetoCount) 个）" : "")
                     + "，请在整改时限前完成整改。整改后系统将在下一次监测时自动核验，无需另行报送；确有困难需要延期的，请在时限前与我们联系并说明理由。")
        lines.append("")
        for (index, e) in entries.enumerated() {
            let state = e.item.isOverdue(at: asOf) ? "已逾期" : e.reason == .due ? "即将到期" : "待整改"
            lines.append("\(index + 1). 【\(e.item.severity == .veto ? "单项否决" : "扣分")】\(e.item.accountName)（\(e.platform)，\(e.item.accountID)）")
            lines.append("   问题：\(e.ruleTitle)。\(e.item.summary)")
            lines.append("   发现时间：\(ChinaTime.short(e.item.foundAt))；整改时限：\(e.item.deadlineText)；状态：\(state)；事项编号 #\(e.item.id)")
        }
        lines += ["", "联系人：\(issuer.contact ?? "（未配置）")", "", "\(issuer.name)", Self.chineseDate(day), "",
                  "证据与依据见附件（用浏览器打开，可直接打印）。本邮件由 govmedia 自动生成。"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The mail: to the unit's addresses, dated 08:00 of the notice's day, its Message-ID
    /// from the digest, so writing it twice gives the same `.eml`.
    public func mail(html: [UInt8], htmlFile: String, from: String) -> MailMessage {
        var subject = "整改通知：\(unit)有 \(entries.count) 个政务新媒体问题待整改"
        if let earliest = earliestDeadline { subject += "（最早时限 \(earliest)）" }
        if overdueCount > 0 { subject += "，其中已逾期 \(overdueCount) 个" }
        return MailMessage(
            from: from, to: recipients, subject: subject, date: ChinaTime.instant(day).addingTimeInterval(8 * 3600),
            messageID: "notice-\(day)-\(digest)@govmedia.\(MailAddress.domain(of: from))", text: text(),
            attachments: [MailAttachment(filename: htmlFile, contentType: "text/html; charset=UTF-8", data: html)])
    }

    static let template = #"""
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>关于限期整改政务新媒体问题的通知（{{unit}}）</title>
<style>
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; max-width: 860px; margin: 24px auto; padding: 0 16px;
  color: #1f2933; font-size: 15px; line-height: 1.8; }
h1 { text-align: center; font-size: 22px; margin: 8px 0 20px; }
.to { font-weight: 700; margin: 0; }
p.body { text-indent: 2em; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; margin: 10px 0; font-size: 13px; line-height: 1.5; }
th, td { border: 1px solid #9aa5b1; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #f0f4f8; }
.problem { color: #b71c1c; font-weight: 700; }
.due { color: #b7791f; font-weight: 700; }
.veto { color: #7f0000; font-weight: 700; }
.small { color: #52606d; font-size: 12px; }
.evidence { margin: 6px 0 12px; font-size: 13px; }
.evidence li { word-break: break-all; }
.sign { text-align: right; margin-top: 28px; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>关于限期整改政务新媒体问题的通知</h1>
<p class="to">{{unit}}：</p>
<p class="body">经对你单位主办的政务新媒体进行监测，发现以下 {{count}} 个问题{{#hasVetoes}}（其中单项否决 {{vetoes}} 个，按规定直接判为不合格）{{/hasVetoes}}{{#hasOverdue}}，其中 {{overdue}} 个已超过整改时限{{/hasOverdue}}。请按照要求在整改时限前完成整改{{#earliest}}（最早时限 {{earliest}}）{{/earliest}}。整改后系统将在下一次监测时自动核验，核验通过即视为整改完成；确有困难需要延期的，请在时限前联系我们并说明理由。</p>
<h2 style="font-size:17px">一、问题清单</h2>
<table>
<thead><tr><th>序号</th><th>账号</th><th>问题</th><th>性质</th><th>发现时间</th><th>整改时限</th><th>状态</th><th>责任人</th></tr></thead>
<tbody>
{{#entries}}<tr><td>{{n}}</td><td>{{account}}<br><span class="small">{{platform}} · {{accountID}}</span></td><td>{{ruleTitle}}<br><span class="small">[{{rule}}] 事项 #{{id}}</span></td><td{{#veto}} class="veto"{{/veto}}>{{severity}}</td><td>{{found}}</td><td>{{deadline}}</td><td class="{{stateClass}}">{{state}}</td><td>{{responsible}}</td></tr>
{{/entries}}</tbody>
</table>
<h2 style="font-size:17px">二、证据与依据</h2>
{{#entries}}<p><b>{{n}}. {{account}}：{{ruleTitle}}</b><br><span class="small">依据：{{ruleSource}}；账号地址：{{url}}</span></p>
<ul class="evidence">
{{#evidence}}<li>{{message}}{{#post}}　帖子《{{post}}》{{/post}}{{#link}} <a href="{{link}}">{{link}}</a>{{/link}}{{#postURL}} {{postURL}}{{/postURL}}{{#sha}}<br><span class="small">证据 sha256 {{sha}}</span>{{/sha}}</li>
{{/evidence}}{{#moreEvidence}}<li class="small">另有 {{moreEvidence}} 处，见 govmedia rectify show {{id}}</li>{{/moreEvidence}}
</ul>
{{/entries}}
<h2 style="font-size:17px">三、联系人</h2>
<p>{{contact}}</p>
<p class="sign">{{issuer}}<br>{{date}}</p>
<p class="small">本通知由 govmedia 根据监测结果自动生成；证据可用 govmedia evidence show 加 sha256 前 12 位查看原始页面。</p>
</body>
</html>
"""#
}
