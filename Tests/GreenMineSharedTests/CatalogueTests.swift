import Foundation
import Testing
@testable import GreenMineShared

/// The indicator catalogue format, the sample catalogue and scoring.
@Suite("Catalogue")
struct CatalogueTests {
    let sample = Catalogue.sample

    /// Every prerequisite of the sample met.
    var allMet: [String: Bool] {
        Dictionary(uniqueKeysWithValues: sample.prerequisites.map { ($0.code, true) })
    }

    /// Full marks on every item, scaled by `factor`, except the primaries in `overrides`.
    func points(_ factor: Double = 1, overrides: [String: Double] = [:]) -> [String: Double] {
        var points: [String: Double] = [:]
        for primary in sample.primaries {
            let primaryFactor = overrides[primary.code] ?? factor
            for item in primary.items { points[item.code] = item.maxPoints * primaryFactor }
        }
        return points
    }

    @Test func sampleValidatesAndSaysItIsASample() throws {
        #expect(sample.validate() == [])
        #expect(sample.id == "sample-2020")
        #expect(sample.isSample)
        #expect(sample.name.zh.contains("示例"))
        #expect(sample.name.en.contains("SAMPLE"))
        let notice = try #require(sample.notice)
        #expect(notice.zh.contains("示例") && notice.zh.contains("不是官方"))
        #expect(notice.en.contains("SAMPLE") && notice.en.contains("not the official"))
    }

    @Test func sampleHasTheDomainShape() {
        #expect(sample.prerequisites.map(\.code) == ["P1", "P2", "P3", "P4", "P5"])
        #expect(sample.primaries.map(\.name.zh) == [
            "矿区环境", "资源开发方式", "资源综合利用", "节能减排", "科技创新与智能矿山", "企业管理与企业形象",
        ])
        #expect(sample.primaries.map(\.maxPoints) == [120, 280, 180, 120, 150, 150])
        #expect(sample.maxTotal == 1000)
        #expect(sample.passRules == Catalogue.PassRules(minTotal: 800, minPrimaryShare: 0.75))
        for secondary in sample.primaries.flatMap(\.secondaries) {
            #expect((2...3).contains(secondary.items.count), "\(secondary.code)")
        }
        let secondaryNames = Set(sample.primaries.flatMap(\.secondaries).map(\.name.zh))
        for known in ["矿容矿貌", "矿区绿化", "资源开采", "选矿加工", "矿山环境恢复治理与土地复垦",
                      "综合利用", "固废处置与综合利用", "废水处置与综合利用", "节能降耗", "污染物排放",
                      "科技创新", "智能矿山", "企业管理", "企业形象"] {
            #expect(secondaryNames.contains(known), "\(known)")
        }
    }

    @Test func lookups() throws {
        let item = try #require(sample.item(code: "1.1.1"))
        #expect(item.maxPoints == 20)
        #expect(sample.primary(ofItem: "2.3.2")?.name.zh == "资源开发方式")
        #expect(sample.item(code: "9.9.9") == nil)
        #expect(sample.primary(ofItem: "9.9.9") == nil)
        #expect(sample.allItems.count == 32)
        #expect(sample.allItems.first?.code == "1.1.1")
    }

    @Test func jsonRoundTrip() throws {
        let json = try sample.encodedJSON()
        let decoded = try Catalogue.decode(json: json)
        #expect(decoded == sample)
        // The keys are exactly the property names.
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(object.keys) == [
            "id", "version", "name", "isSample", "notice", "prerequisites", "primaries", "passRules",
        ])
        let rules = try #require(object["passRules"] as? [String: Any])
        #expect(Set(rules.keys) == ["minTotal", "minPrimaryShare"])
        // Plain JSONEncoder output decodes too.
        #expect(try Catalogue.decode(json: JSONEncoder().encode(sample)) == sample)
    }

    @Test func invalidCatalogueIsRefusedWithEveryViolation() throws {
        var bad = sample
        bad.primaries[0].secondaries[0].items[1].code = "1.1.1"      // duplicate code
        bad.primaries[1].secondaries[0].items[0].maxPoints = 50     // 2's items now sum to 290, not 280
        bad.passRules.minPrimaryShare = 1.5
        let violations = bad.validate()
        #expect(violations.map(\.code) == ["catalogue_duplicate_code", "catalogue_points_mismatch", "catalogue_share_range"])
        #expect(violations[0].message.en.contains("1.1.1"))
        #expect(violations[1].message.zh.contains("资源开发方式"))
        #expect(violations[1].message.en.contains("280") && violations[1].message.en.contains("290"))

        let json = try JSONEncoder().encode(bad)
        let error = try #require(throws: CatalogueError.self) { try Catalogue.decode(json: json) }
        #expect(error.violations == violations)
    }

    @Test func otherInvalidCatalogues() throws {
        var empty = sample
        empty.primaries = []
        empty.passRules.minTotal = 0
        #expect(empty.validate().map(\.code) == ["catalogue_no_primaries"])

        var negative = sample
        negative.primaries[3].secondaries[0].items[0].maxPoints = -20
        negative.primaries[3].secondaries[0].items[1].maxPoints = 60
        negative.passRules.minTotal = 1200
        #expect(negative.validate().map(\.code) == ["catalogue_points_invalid", "catalogue_threshold_range"])

        var blank = sample
        blank.prerequisites[0].code = " "
        blank.primaries[0].secondaries[1].items = []
        #expect(blank.validate().map(\.code) == [
            "catalogue_code_blank", "catalogue_secondary_empty", "catalogue_points_mismatch",
        ])
    }

    @Test func malformedJSONIsRefused() throws {
        let error = try #require(throws: CatalogueError.self) {
            try Catalogue.decode(json: Data(#"{"id": "x", "version": 1}"#.utf8))
        }
        #expect(error.violations.map(\.code) == ["catalogue_json"])
        #expect(throws: CatalogueError.self) { try Catalogue.decode(json: Data("not json".utf8)) }
    }

    @Test func fullMarksPass() {
        let result = sample.score(Scoresheet(prerequisites: allMet, items: points()))
        #expect(result.passed)
        #expect(result.reasons == [])
        #expect(result.total == 1000)
        #expect(result.maxTotal == 1000)
        #expect(result.primaries.map(\.share) == [1, 1, 1, 1, 1, 1])
        #expect(result.primaries.map(\.points) == [120, 280, 180, 120, 150, 150])
    }

    @Test func exactlyAtTheThresholdsPasses() {
        // 0.8 of every item: 800 in total and 80% of every primary.
        let result = sample.score(Scoresheet(prerequisites: allMet, items: points(0.8)))
        #expect(abs(result.total - 800) < 1e-9)
        #expect(result.passed, "\(result.reasons)")
    }

    @Test func failsByTotalOnly() {
        // 78% of every item: every primary at 78% ≥ 75%, total 780 < 800.
        let result = sample.score(Scoresheet(prerequisites: allMet, items: points(0.78)))
        #expect(!result.passed)
        #expect(abs(result.total - 780) < 1e-9)
        #expect(result.primaries.allSatisfy { $0.share >= 0.75 })
        #expect(result.reasons.map(\.code) == ["total_below_threshold"])
        #expect(result.reasons[0].message.en.contains("780") && result.reasons[0].message.en.contains("800"))
        #expect(result.reasons[0].message.zh.contains("780") && result.reasons[0].message.zh.contains("800"))
    }

    @Test func failsByOnePrimaryBelowItsShare() {
        // 矿区环境 at 50% (60 of 120, minimum 90); everything else full: total 940 ≥ 800.
        let result = sample.score(Scoresheet(prerequisites: allMet, items: points(overrides: ["1": 0.5])))
        #expect(!result.passed)
        #expect(result.total == 940)
        #expect(result.reasons.map(\.code) == ["primary_below_share"])
        let message = result.reasons[0].message
        #expect(message.zh.contains("矿区环境") && message.zh.contains("60") && message.zh.contains("90"))
        #expect(message.en.contains("Mine-site environment") && message.en.contains("75%"))
        #expect(result.primaries[0].share == 0.5)
    }

    @Test func onePrerequisiteFalseVetoesFullMarks() {
        var prerequisites = allMet
        prerequisites["P3"] = false
        let result = sample.score(Scoresheet(prerequisites: prerequisites, items: points()))
        #expect(result.total == 1000)
        #expect(!result.passed)
        #expect(result.reasons.map(\.code) == ["prerequisite_failed"])
        #expect(result.reasons[0].message.zh.contains("P3") && result.reasons[0].message.zh.contains("一票否决"))
    }

    @Test func unstatedPrerequisitesAreReported() {
        var prerequisites = allMet
        prerequisites["P5"] = nil
        prerequisites["P9"] = true
        let result = sample.score(Scoresheet(prerequisites: prerequisites, items: points()))
        #expect(result.reasons.map(\.code) == ["prerequisite_missing", "prerequisite_unknown"])
    }

    @Test func outOfRangeAndUnknownItemsAreReported() {
        var items = points()
        items["1.1.1"] = 25          // max 20
        items["1.1.2"] = -1
        items["9.9.9"] = 5
        let result = sample.score(Scoresheet(prerequisites: allMet, items: items))
        #expect(!result.passed)
        // Invalid points count as 0, so 矿区环境 has 120 - 40 = 80 < 90 and falls below its share too.
        #expect(result.reasons.map(\.code)
            == ["item_out_of_range", "item_out_of_range", "item_unknown", "primary_below_share"])
        #expect(result.reasons[0].message.en.contains("1.1.1") && result.reasons[0].message.en.contains("20"))
        #expect(result.primaries[0].points == 80)
        #expect(result.total == 960)
    }

    @Test func everyReasonIsListed() {
        // Nothing stated, nothing scored: 5 missing prerequisites, the total, and all 6 primaries.
        let result = sample.score(Scoresheet())
        #expect(result.total == 0)
        #expect(result.reasons.map(\.code)
            == Array(repeating: "prerequisite_missing", count: 5) + ["total_below_threshold"]
            + Array(repeating: "primary_below_share", count: 6))
    }

    @Test func scoresheetJSONUsesPlainMaps() throws {
        let sheet = Scoresheet(prerequisites: ["P1": true], items: ["1.1.1": 18.5])
        let json = try JSONEncoder().encode(sheet)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""1.1.1":18.5"#))
        #expect(try JSONDecoder().decode(Scoresheet.self, from: json) == sheet)
    }
}
