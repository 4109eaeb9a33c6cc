/// The tables of the annual report (国办公开办函〔2021〕30号), by stable code.
///
/// Section 二 prints four small tables, one per item of 第二十条; sections 三 and 四
/// print one table each.
public enum DisclosureTableID: String, Codable, Sendable, CaseIterable {
    /// 第二十条第（一）项: rules and normative documents.
    case rules = "proactive.rules"
    /// 第二十条第（五）项: administrative licences.
    case licensing = "proactive.licensing"
    /// 第二十条第（六）项: penalties and coercive measures.
    case enforcement = "proactive.enforcement"
    /// 第二十条第（八）项: administrative fees, in 万元.
    case fees = "proactive.fees"
    /// 三、收到和处理政府信息公开申请情况.
    case requests
    /// 四、政府信息公开行政复议、行政诉讼情况.
    case appeals

    /// The table's title in the report's words.
    public var title: String {
        switch self {
        case .rules: "第二十条第（一）项"
        case .licensing: "第二十条第（五）项"
        case .enforcement: "第二十条第（六）项"
        case .fees: "第二十条第（八）项"
        case .requests: "三、收到和处理政府信息公开申请情况"
        case .appeals: "四、政府信息公开行政复议、行政诉讼情况"
        }
    }

    /// The item of 第二十条 as printed inside the marker, for the section 二 tables.
    var articleItem: String? {
        switch self {
        case .rules: "一"
        case .licensing: "五"
        case .enforcement: "六"
        case .fees: "八"
        case .requests, .appeals: nil
        }
    }
}

/// Rows of the section 二 tables.
public enum ProactiveRow: String, Codable, Sendable, CaseIterable {
    /// 规章.
    case rules
    /// 行政规范性文件 (older format: 规范性文件).
    case normativeDocuments = "normative_documents"
    /// 行政许可.
    case licensing
    /// 其他对外管理服务事项 (older format only).
    case otherServices = "other_services"
    /// 行政处罚.
    case penalty
    /// 行政强制.
    case coercion
    /// 行政事业性收费.
    case fees

    /// The standard label.
    public var label: String {
        switch self {
        case .rules: "规章"
        case .normativeDocuments: "行政规范性文件"
        case .licensing: "行政许可"
        case .otherServices: "其他对外管理服务事项"
        case .penalty: "行政处罚"
        case .coercion: "行政强制"
        case .fees: "行政事业性收费"
        }
    }

    /// The table the row belongs to.
    public var table: DisclosureTableID {
        switch self {
        case .rules, .normativeDocuments: .rules
        case .licensing, .otherServices: .licensing
        case .penalty, .coercion: .enforcement
        case .fees: .fees
        }
    }

    /// Whether a report must print the row.
    var isRequired: Bool { self != .otherServices }

    /// Words that identify the row's label; the longer, more specific, come first.
    var keywords: [String] {
        switch self {
        case .rules: ["规章"]
        case .normativeDocuments: ["行政规范性文件", "规范性文件"]
        case .licensing: ["行政许可"]
        case .otherServices: ["其他对外管理服务事项", "对外管理服务"]
        case .penalty: ["行政处罚"]
        case .coercion: ["行政强制"]
        case .fees: ["行政事业性收费", "事业性收费"]
        }
    }
}

/// Columns of the section 二 tables, current and 2019 formats.
public enum ProactiveColumn: String, Codable, Sendable, CaseIterable {
    /// 本年制发件数 (2019: 本年新制作数量).
    case issued
    /// 本年废止件数.
    case repealed
    /// 现行有效件数 (2019: 对外公开总数量).
    case inForce = "in_force"
    /// 本年新公开数量 (2019 format only).
    case published
    /// 本年处理决定数量.
    case decisions
    /// 上一年项目数量 (2019 format only).
    case previousItems = "previous_items"
    /// 本年增/减 (2019 format only).
    case change
    /// 本年收费金额（单位：万元）.
    case amount

    /// The standard label.
    public var label: String {
        switch self {
        case .issued: "本年制发件数"
        case .repealed: "本年废止件数"
        case .inForce: "现行有效件数"
        case .published: "本年新公开数量"
        case .decisions: "本年处理决定数量"
        case .previousItems: "上一年项目数量"
        case .change: "本年增/减"
        case .amount: "本年收费金额（万元）"
        }
    }

    /// Header words that name the column; 2019-format names map onto the current ones.
    var keywords: [String] {
        switch self {
        case .issued: ["制发", "新制作"]
        case .repealed: ["废止"]
        case .inForce: ["现行有效", "公开总数"]
        case .published: ["新公开"]
        case .decisions: ["处理决定"]
        case .previousItems: ["上一年项目", "上年项目"]
        case .change: ["增/减", "增减", "增(减)"]
        case .amount: ["收费金额"]
        }
    }

    /// Whether the column may hold a decimal or negative figure.
    var allowsDecimal: Bool { self == .amount || self == .change }
}

/// Rows of table 三, with stable codes such as `withheld.3`.
public enum RequestRow: String, Codable, Sendable, CaseIterable {
    case new
    case carriedOver = "carried_over"
    case disclosed
    case partlyDisclosed = "partly_disclosed"
    case withheld
    case withheld1 = "withheld.1", withheld2 = "withheld.2", withheld3 = "withheld.3"
    case withheld4 = "withheld.4", withheld5 = "withheld.5", withheld6 = "withheld.6"
    case withheld7 = "withheld.7", withheld8 = "withheld.8"
    case unavailable
    case unavailable1 = "unavailable.1", unavailable2 = "unavailable.2", unavailable3 = "unavailable.3"
    case notProcessed = "not_processed"
    case notProcessed1 = "not_processed.1", notProcessed2 = "not_processed.2"
    case notProcessed3 = "not_processed.3", notProcessed4 = "not_processed.4"
    case notProcessed5 = "not_processed.5"
    case other
    case other1 = "other.1", other2 = "other.2", other3 = "other.3"
    case total
    case carriedForward = "carried_forward"

    /// The standard label (the report's own label is kept on each row as printed).
    public var label: String {
        switch self {
        case .new: "一、本年新收政府信息公开申请数量"
        case .carriedOver: "二、上年结转政府信息公开申请数量"
        case .disclosed: "（一）予以公开"
        case .partlyDisclosed: "（二）部分公开"
        case .withheld: "（三）不予公开"
        case .withheld1: "1.属于国家秘密"
        case .withheld2: "2.其他法律行政法规禁止公开"
        case .withheld3: "3.危及“三安全一稳定”"
        case .withheld4: "4.保护第三方合法权益"
        case .withheld5: "5.属于三类内部事务信息"
        case .withheld6: "6.属于四类过程性信息"
        case .withheld7: "7.属于行政执法案卷"
        case .withheld8: "8.属于行政查询事项"
        case .unavailable: "（四）无法提供"
        case .unavailable1: "1.本机关不掌握相关政府信息"
        case .unavailable2: "2.没有现成信息需要另行制作"
        case .unavailable3: "3.补正后申请内容仍不明确"
        case .notProcessed: "（五）不予处理"
        case .notProcessed1: "1.信访举报投诉类申请"
        case .notProcessed2: "2.重复申请"
        case .notProcessed3: "3.要求提供公开出版物"
        case .notProcessed4: "4.无正当理由大量反复申请"
        case .notProcessed5: "5.要求行政机关确认或重新出具已获取信息"
        case .other: "（六）其他处理"
        case .other1: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
        case .other2: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
        case .other3: "3.其他"
        case .total: "（七）总计"
        case .carriedForward: "四、结转下年度继续办理"
        }
    }

    /// The outcome group a sub-item belongs to (`withheld.3` → `withheld`).
    public var group: RequestRow? {
        guard let dot = rawValue.firstIndex(of: ".") else { return nil }
        return RequestRow(rawValue: String(rawValue[..<dot]))
    }

    /// The sub-items of an outcome group, in printed order.
    public var subItems: [RequestRow] {
        RequestRow.allCases.filter { $0.group == self }
    }

    /// The outcome groups that a report may print as one row or as sub-items.
    static let groups: [RequestRow] = [.withheld, .unavailable, .notProcessed, .other]

    /// Whether the row is one of the outcomes that add up to (七)总计.
    var isOutcome: Bool {
        switch self {
        case .new, .carriedOver, .total, .carriedForward: false
        default: true
        }
    }

    /// Words that identify the row's label. `other.3` (“3.其他”) is matched apart,
    /// because 其他 alone occurs everywhere.
    var keywords: [String] {
        switch self {
        case .new: ["本年新收"]
        case .carriedOver: ["上年结转"]
        case .disclosed: ["予以公开"]
        case .partlyDisclosed: ["部分公开"]
        case .withheld: ["不予公开"]
        case .withheld1: ["国家秘密"]
        case .withheld2: ["其他法律", "法规禁止公开"]
        case .withheld3: ["三安全", "一稳定"]
        case .withheld4: ["第三方"]
        case .withheld5: ["三类"]
        case .withheld6: ["四类", "过程性信息"]
        case .withheld7: ["执法案卷"]
        case .withheld8: ["行政查询", "查询事项"]
        case .unavailable: ["无法提供"]
        case .unavailable1: ["不掌握"]
        case .unavailable2: ["没有现成", "另行制作"]
        case .unavailable3: ["补正后", "仍不明确"]
        case .notProcessed: ["不予处理"]
        case .notProcessed1: ["信访", "举报投诉"]
        case .notProcessed2: ["重复申请"]
        case .notProcessed3: ["出版物"]
        case .notProcessed4: ["大量反复"]
        case .notProcessed5: ["确认或重", "重新出具"]
        case .other: ["其他处理"]
        case .other1: ["不补正"]
        case .other2: ["收费通知", "缴纳费用"]
        case .other3: []
        case .total: ["(七)总计", "(七)合计", "七)总计"]
        case .carriedForward: ["结转下年", "下年度继续"]
        }
    }
}

/// Columns of table 三: the kind of applicant.
public enum RequestColumn: String, Codable, Sendable, CaseIterable {
    case naturalPerson = "natural_person"
    case business
    case research
    case nonprofit
    case legalServices = "legal_services"
    case otherOrganisation = "other_org"
    /// 法人或其他组织 as one column, for reports that do not break it down.
    case legalPerson = "legal_person"
    case total

    /// The standard label.
    public var label: String {
        switch self {
        case .naturalPerson: "自然人"
        case .business: "商业企业"
        case .research: "科研机构"
        case .nonprofit: "社会公益组织"
        case .legalServices: "法律服务机构"
        case .otherOrganisation: "其他"
        case .legalPerson: "法人或其他组织"
        case .total: "总计"
        }
    }

    /// The five kinds of 法人或其他组织, in printed order.
    static let organisations: [RequestColumn] = [.business, .research, .nonprofit, .legalServices, .otherOrganisation]

    /// A header word that shows the column is printed; PDF text splits 商业企业 over
    /// two lines, so the first half is enough.
    var headerKeyword: String {
        switch self {
        case .naturalPerson: "自然人"
        case .business: "商业"
        case .research: "科研"
        case .nonprofit: "公益"
        case .legalServices: "法律"
        case .otherOrganisation: "其他"
        case .legalPerson: "法人"
        case .total: "总计"
        }
    }
}

/// Rows of table 四: the three groups of cases.
public enum AppealRow: String, Codable, Sendable, CaseIterable {
    case reconsideration
    case litigationDirect = "litigation_direct"
    case litigationAfterReconsideration = "litigation_after_reconsideration"

    /// The label as the report's header prints it.
    public var label: String {
        switch self {
        case .reconsideration: "行政复议"
        case .litigationDirect: "行政诉讼（未经复议直接起诉）"
        case .litigationAfterReconsideration: "行政诉讼（复议后起诉）"
        }
    }
}

/// Columns of table 四: the outcome of the cases.
public enum AppealColumn: String, Codable, Sendable, CaseIterable {
    case upheld
    case corrected
    case other
    case pending
    case total

    /// The standard label.
    public var label: String {
        switch self {
        case .upheld: "结果维持"
        case .corrected: "结果纠正"
        case .other: "其他结果"
        case .pending: "尚未审结"
        case .total: "总计"
        }
    }
}
