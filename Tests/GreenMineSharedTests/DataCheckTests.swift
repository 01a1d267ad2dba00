import Foundation
import Testing
@testable import GreenMineShared

/// 数据检查 over whole records.
struct DataCheckTests {
    @Test func completeApplicationHasNoFindings() {
        let findings = DataCheck.run(Fixtures.application, context: Fixtures.context)
        #expect(findings.isEmpty, "\(findings)")
    }

    @Test func completePreApplicationHasNoFindings() {
        let findings = DataCheck.run(Fixtures.preApplication, context: Fixtures.context)
        #expect(findings.isEmpty, "\(findings)")
    }

    @Test func brokenApplicationFindsEachPlantedErrorAndNothingElse() {
        var record = Fixtures.application
        record["basic.mineName"] = nil                                  // required
        let wrongCheck = Fixtures.creditCode.hasSuffix("0") ? "1" : "0"
        record["basic.creditCode"] = .string(String(Fixtures.creditCode.dropLast()) + wrongCheck)
        record["basic.licenceNumber"] = .string("C13010020091271300543")  // 20 digits
        record["basic.region"] = .string("130100")                     // a city: warning
        record["basic.designServiceLife"] = .double(2.5)               // not an integer
        record["basic.miningMethod"] = .string("dredging")             // not an option
        record["contact.mobile"] = .string("1381234567")               // 10 digits
        record["contact.email"] = .string("lisi.example.com")
        record["contact.postalCode"] = .string("05000")
        record["indicators.landReclamationRate"] = .double(120)        // above 100 %
        record["indicators.employees"] = .int(-3)                      // below 0
        record["basic.licenceValidFrom"] = .string("2020-02-30")       // impossible date
        record["status.environment"] = .string(String(repeating: "字", count: 5001))
        record["basic.colour"] = .string("green")                      // unknown field: warning
        var bigPDF = Fixtures.pdf
        bigPDF.size = 10 * 1_048_576 + 1
        var exe = Fixtures.photo
        exe.slot = "app.video"
        record.attachments = [bigPDF, exe]

        let findings = DataCheck.run(record, context: Fixtures.context)
        let found = Set(findings.map { "\($0.severity.rawValue) \($0.path) \($0.code)" })
        let expected: Set<String> = [
            "error basic.mineName required",
            "error basic.creditCode credit_code_check",
            "error basic.licenceNumber licence_format",
            "warning basic.region region_not_county",
            "error basic.designServiceLife wrong_type",
            "error basic.miningMethod not_an_option",
            "error contact.mobile mobile_format",
            "error contact.email email_format",
            "error contact.postalCode postal_code_format",
            "error indicators.landReclamationRate above_maximum",
            "error indicators.employees below_minimum",
            "error basic.licenceValidFrom date_format",
            "error status.environment too_long",
            "warning basic.colour unknown_field",
            "error attachments[0] attachment_too_large",
            "error attachments[1] attachment_type",
        ]
        #expect(found == expected)
        #expect(findings.count == expected.count)
        for finding in findings {
            #expect(!finding.message.zh.isEmpty && !finding.message.en.isEmpty)
        }
        #expect(!DataCheck.passes(findings))
    }

    @Test func prerequisitesMustBeMet() {
        var record = Fixtures.preApplication
        record["prerequisites.outsideProtectedAreas"] = .bool(false)
        record["prerequisites.noPenalty"] = nil
        record.attachments = []
        let found = Set(DataCheck.run(record, context: Fixtures.context).map { "\($0.path) \($0.code)" })
        #expect(found == ["prerequisites.outsideProtectedAreas prerequisite_not_met",
                          "prerequisites.noPenalty required", "attachments.pre.image attachment_required"])
    }

    @Test func licenceDates() {
        var record = Fixtures.application
        record["basic.licenceValidTo"] = .string("2019-12-31")
        #expect(DataCheck.run(record, context: Fixtures.context).map(\.code) == ["date_order"])
        record["basic.licenceValidFrom"] = .string("2010-01-01")
        #expect(DataCheck.run(record, context: Fixtures.context).map(\.code) == ["licence_expired"])
    }

    @Test func evidenceIndicatorIsCheckedAgainstTheCatalogue() throws {
        let catalogue = Catalogue.sample
        let code = try #require(catalogue.allItems.first?.code)
        var evidence = Record(id: UUID(), kind: .evidence, fields: ["evidence.indicator": .string(code)],
                              attachments: [AttachmentRef(slot: "evidence.pdf", sha256: String(repeating: "d", count: 64),
                                                          size: 10, mime: "application/pdf", name: "x.pdf")])
        let context = DataCheckContext(now: Fixtures.now, catalogue: catalogue)
        #expect(DataCheck.run(evidence, context: context).isEmpty)
        evidence["evidence.indicator"] = .string("9.9.9")
        #expect(DataCheck.run(evidence, context: context).map(\.code) == ["indicator_unknown"])
    }
}
