import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Issue 14 item 4: the data check's messages wrap by display width, never cut, and every finding
/// shows the field's path beside its label.
struct DataCheckOutputTests {
    @Test func wrapCountsChineseAsTwoColumnsAndKeepsEveryCharacter() {
        let text = "只有所在行政区选择到县一级时才能确定受理的县级自然资源主管部门，请选择到县（区）"
        let lines = DisplayWidth.wrap(text, to: 20)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 20 }, "\(lines)")
        #expect(lines.joined() == text)
        let english = DisplayWidth.wrap("see: online help for the region field and its levels", to: 16)
        #expect(english.allSatisfy { DisplayWidth.of($0) <= 16 }, "\(english)")
        #expect(english.joined(separator: " ") == "see: online help for the region field and its levels")
        #expect(DisplayWidth.wrap("", to: 10) == [""])
    }

    @Test func checkOutputWrapsToTheTerminalAndShowsPaths() async throws {
        for language in ["en_US.UTF-8", "zh_CN.UTF-8"] {
            let home = await TestHome.loggedIn()
            let pre = await home.newPre()
            home.language = language
            home.extraVariables["COLUMNS"] = "40"
            let check = await home.run(["pre", "check", pre])
            #expect(check.status == 1)
            #expect(check.stdout.contains("prerequisites.licencesValid"), "\(check.stdout)")
            #expect(!check.stdout.contains("…"), "nothing is cut:\n\(check.stdout)")
            for line in check.stdout.split(separator: "\n") where line.hasPrefix("    ") {
                #expect(DisplayWidth.of(String(line)) <= 40, "\(line)")
            }
        }
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        let check = await home.run(["pre", "check", pre])
        #expect(check.stdout.contains("Business, mining and safety licences all valid (prerequisites.licencesValid)"),
                "\(check.stdout)")
    }
}
