import Foundation

/// What the data check needs besides the record: the clock, the region table, the catalogue.
public struct DataCheckContext: Sendable {
    /// Now, for licence validity.
    public var now: Date
    public var regions: RegionTable
    /// The catalogue evidence refers to (its indicator codes are checked when given).
    public var catalogue: Catalogue?

    public init(now: Date, regions: RegionTable = .standard, catalogue: Catalogue? = nil) {
        self.now = now
        self.regions = regions
        self.catalogue = catalogue
    }
}

/// 数据检查: runs every rule over a record and returns every finding (empty when all is well).
public enum DataCheck {
    /// Checks required fields, formats, bounds, region level, licence validity, prerequisites,
    /// date order, attachment slots, counts, sizes and types, and evidence indicator codes.
    public static func run(_ record: Record, context: DataCheckContext) -> [Finding] {
        var findings: [Finding] = []
        let fields = FormSchema.fields(for: record.kind)
        for field in fields {
            findings += check(field, value: record.fields[field.path] ?? .null, context: context)
        }
        findings += unknownFields(record, known: Set(fields.map(\.path)))
        findings += crossFieldChecks(record, context: context)
        findings += attachmentChecks(record)
        if record.kind == .evidence, let catalogue = context.catalogue, let code = record.text("evidence.indicator"),
           catalogue.item(code: code) == nil {
            findings.append(Finding(.error, "evidence.indicator", RuleViolation(
                code: "indicator_unknown", zh: "评价指标体系“\(catalogue.name.zh)”中没有指标项 \(code)",
                en: "the catalogue '\(catalogue.name.en)' has no indicator item \(code)")))
        }
        if record.kind == .assessment, let catalogue = context.catalogue, let finding = reportFinding(record, catalogue) {
            findings.append(finding)
        }
        return findings
    }

    /// `report_required`: an assessment without its report (slot `assessment.report`), unless its
    /// catalogue waives it (`Catalogue.reportRequired == false`). Checked only when the catalogue is known.
    public static func reportFinding(_ assessment: Record, _ catalogue: Catalogue) -> Finding? {
        guard catalogue.requiresReport, !assessment.attachments.contains(where: { $0.slot == "assessment.report" }),
              let slot = AttachmentRules.slot("assessment.report") else { return nil }
        return Finding(.error, "attachments.\(slot.id)", RuleViolation(
            code: "report_required",
            zh: "尚未上传“\(slot.label.zh)”：评价指标体系“\(catalogue.name.zh)”要求提交评估报告（greenmine assess report）",
            en: "the \(slot.label.en) is missing: the catalogue '\(catalogue.name.en)' requires the report "
                + "before the assessment is submitted (greenmine assess report)"))
    }

    /// True when no finding is an error.
    public static func passes(_ findings: [Finding]) -> Bool {
        !findings.contains { $0.severity == .error }
    }

    static func check(_ field: FormField, value: JSONValue, context: DataCheckContext) -> [Finding] {
        if value.isBlank {
            guard field.required else { return [] }
            return [Finding(.error, field.path, RuleViolation(
                code: "required", zh: "“\(field.label.zh)”为必填项", en: "\(field.label.en) is required"))]
        }
        if let violation = FieldRules.violation(of: value, for: field, regions: context.regions) {
            return [Finding(.error, field.path, violation)]
        }
        if field.mustBeTrue, value.bool == false {
            return [Finding(.error, field.path, RuleViolation(
                code: "prerequisite_not_met", zh: "先决条件未满足：\(field.label.zh)（一票否决）",
                en: "prerequisite not met: \(field.label.en) (veto)"))]
        }
        if field.type == .region, let code = value.string,
           let violation = RegionCode.validate(code, requireCountyLevel: true, table: context.regions) {
            return [Finding(.warning, field.path, violation)]
        }
        return []
    }

    static func unknownFields(_ record: Record, known: Set<String>) -> [Finding] {
        record.fields.keys.sorted().compactMap { path in
            if known.contains(path) || WorkflowFields.isServerManaged(path) { return nil }
            if record.kind == .assessment, path.hasPrefix("scores.") || path.hasPrefix("prerequisites.") {
                return nil
            }
            return Finding(.warning, path, RuleViolation(
                code: "unknown_field", zh: "表单中没有字段 \(path)，该值将被忽略",
                en: "the form has no field \(path); the value is ignored"))
        }
    }

    static func crossFieldChecks(_ record: Record, context: DataCheckContext) -> [Finding] {
        guard record.kind == .application,
              let fromText = record.text("basic.licenceValidFrom"), let from = FieldRules.parseDate(fromText),
              let toText = record.text("basic.licenceValidTo"), let to = FieldRules.parseDate(toText) else {
            return []
        }
        if to < from {
            return [Finding(.error, "basic.licenceValidTo", RuleViolation(
                code: "date_order", zh: "许可证有效期止（\(toText)）早于有效期起（\(fromText)）",
                en: "the licence's end date \(toText) is before its start date \(fromText)"))]
        }
        if to.addingTimeInterval(86_400) < context.now {
            return [Finding(.error, "basic.licenceValidTo", RuleViolation(
                code: "licence_expired", zh: "采矿许可证已于 \(toText) 过期",
                en: "the mining licence expired on \(toText)"))]
        }
        return []
    }

    static func attachmentChecks(_ record: Record) -> [Finding] {
        var findings = AttachmentRules.check(record: record.attachments, kind: record.kind).map {
            Finding(.error, $0.path, $0.violation)
        }
        for slot in AttachmentRules.slots(for: record.kind) where slot.minCount > 0 {
            let count = Set(record.attachments.filter { $0.slot == slot.id }.map(\.sha256)).count
            if count < slot.minCount {
                findings.append(Finding(.error, "attachments.\(slot.id)", RuleViolation(
                    code: "attachment_required",
                    zh: "“\(slot.label.zh)”至少需要上传\(slot.minCount)个文件",
                    en: "\(slot.label.en) needs at least \(slot.minCount) file(s)")))
            }
        }
        return findings
    }
}
