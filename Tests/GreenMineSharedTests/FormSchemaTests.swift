import Foundation
import Testing
@testable import GreenMineShared

/// The form schema and the parsing of typed input.
struct FormSchemaTests {
    @Test func everyFieldIsWellFormed() {
        for kind in RecordKind.allCases {
            var seen = Set<String>()
            for section in FormSchema.sections(for: kind) {
                #expect(!section.title.zh.isEmpty && !section.title.en.isEmpty)
                for field in section.fields {
                    #expect(seen.insert(field.path).inserted, "duplicate \(field.path)")
                    #expect(field.section == section.id, "\(field.path) outside its section")
                    #expect(!field.label.zh.isEmpty && !field.label.en.isEmpty)
                    #expect(!WorkflowFields.isServerManaged(field.path))
                    if field.type == .enumeration { #expect(!(field.options ?? []).isEmpty) }
                }
            }
        }
    }

    @Test func applicationHasTheFourSections() {
        #expect(FormSchema.sections(for: .application).map(\.title.zh)
            == ["矿山企业基本信息", "矿山企业联系方式", "绿色矿山建设指标", "绿色矿山建设情况"])
        #expect(FormSchema.sections(for: .preApplication).map(\.id) == ["basic", "prerequisites", "remarks"])
        #expect(FormSchema.field("indicators.landReclamationRate", kind: .application)?.type == .percent)
        #expect(FormSchema.field("basic.productionScale", kind: .application)?.unit == "万吨/年")
    }

    @Test func parsingTypedInput() throws {
        let rate = try #require(FormSchema.field("indicators.landReclamationRate", kind: .application))
        #expect(try FieldRules.parse("92.5%", for: rate).get() == .double(92.5))
        #expect(throws: RuleViolation.self) { try FieldRules.parse("九十", for: rate).get() }
        let method = try #require(FormSchema.field("basic.miningMethod", kind: .application))
        #expect(try FieldRules.parse("露天开采", for: method).get() == .string("openPit"))
        #expect(try FieldRules.parse("underground", for: method).get() == .string("underground"))
        let flag = try #require(FormSchema.field("prerequisites.noPenalty", kind: .preApplication))
        #expect(try FieldRules.parse("是", for: flag).get() == .bool(true))
        #expect(try FieldRules.parse("no", for: flag).get() == .bool(false))
        let life = try #require(FormSchema.field("basic.designServiceLife", kind: .application))
        #expect(try FieldRules.parse("20", for: life).get() == .int(20))
        #expect(try FieldRules.parse("  ", for: life).get() == .null)
    }

    @Test func dates() {
        #expect(FieldRules.parseDate("2024-02-29") != nil)
        #expect(FieldRules.parseDate("2023-02-29") == nil)
        #expect(FieldRules.parseDate("2023-13-01") == nil)
        #expect(FieldRules.parseDate("2023-1-01") == nil)
    }
}
