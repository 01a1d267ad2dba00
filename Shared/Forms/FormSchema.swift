import Foundation

/// Every form of every record kind: sections and fields with labels, types, units and bounds.
public enum FormSchema {
    /// The sections of a kind's form, in the order the user fills them.
    public static func sections(for kind: RecordKind) -> [FormSection] {
        switch kind {
        case .preApplication: PreApplicationForm.sections
        case .application: ApplicationForm.sections
        case .evidence: [OtherForms.evidence]
        case .profile: [OtherForms.profile]
        case .appeal: [OtherForms.appeal]
        case .notice: [OtherForms.notice]
        case .assessment: [OtherForms.assessment]
        case .certificate, .catalogue: []
        }
    }

    /// Every field of a kind's form.
    public static func fields(for kind: RecordKind) -> [FormField] {
        sections(for: kind).flatMap(\.fields)
    }

    /// The field at a path of a kind's form.
    public static func field(_ path: String, kind: RecordKind) -> FormField? {
        fieldIndex[kind]?[path]
    }

    /// Every kind's fields by path (the first field of a path, as a search in form order finds it).
    private static let fieldIndex: [RecordKind: [String: FormField]] = Dictionary(
        uniqueKeysWithValues: RecordKind.allCases.map { kind in
            var byPath: [String: FormField] = [:]
            for field in fields(for: kind) where byPath[field.path] == nil { byPath[field.path] = field }
            return (kind, byPath)
        })

    /// The path that holds a kind's division code (it becomes the record's `region`).
    public static func regionPath(for kind: RecordKind) -> String? {
        switch kind {
        case .preApplication, .application: "basic.region"
        case .notice: "notice.region"
        default: nil
        }
    }

    /// The path that holds the licence number, the key of a mine's records.
    public static let licencePath = "basic.licenceNumber"
}

/// 预申报: region, licence number, the five prerequisites (先决条件) and remarks.
enum PreApplicationForm {
    static let sections: [FormSection] = [
        FormSection("basic", zh: "基本信息", en: "Basic information", fields: [
            FormField("basic.region", zh: "所在行政区", en: "Administrative region", .region),
            FormField("basic.licenceNumber", zh: "采矿许可证号", en: "Mining licence number", .licence),
            FormField("basic.mineName", zh: "矿山名称", en: "Mine name", .text, required: false,
                      fromRegistry: true),
        ]),
        FormSection("prerequisites", zh: "先决条件", en: "Prerequisites", fields: [
            FormField("prerequisites.licencesValid", zh: "营业执照、采矿许可证、安全生产许可证均在有效期内",
                      en: "Business, mining and safety licences all valid", .bool, mustBeTrue: true),
            FormField("prerequisites.noPenalty",
                      zh: "近三年无行政处罚（或已整改到位），未发生重大安全、环境事故",
                      en: "No administrative penalty in 3 years (or rectified), no major safety or environmental accident",
                      .bool, mustBeTrue: true),
            FormField("prerequisites.disclosure", zh: "已按规定公示信息，未列入异常名录",
                      en: "Public disclosure made, not on the abnormal list", .bool, mustBeTrue: true),
            FormField("prerequisites.normalOperation", zh: "矿山正常生产，剩余储量可采三年以上",
                      en: "Mine operating normally with at least 3 years of reserves left", .bool,
                      mustBeTrue: true),
            FormField("prerequisites.outsideProtectedAreas", zh: "矿区范围不在各类自然保护地内",
                      en: "Mining area outside every nature-protection area", .bool, mustBeTrue: true),
        ]),
        FormSection("remarks", zh: "备注", en: "Remarks", fields: [
            FormField("remarks.text", zh: "备注", en: "Remarks", .text, required: false, maxLength: 2000),
        ]),
    ]
}
