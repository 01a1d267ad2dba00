import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Tables that line up with Chinese text, and status output in both languages.
struct PresentationTests {
    @Test func chineseCharactersTakeTwoColumns() {
        #expect(DisplayWidth.of("矿山") == 4)
        #expect(DisplayWidth.of("C13 矿") == 6)
        #expect(DisplayWidth.of("（）") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.truncate("绿色矿山名录", to: 7) == "绿色矿…")
    }

    @Test func tableColumnsLineUpWithMixedText() {
        var table = TextTable(headers: ["编号", "矿山名称", "State"])
        table.append(["abcd", "长安区绿源石灰岩矿", "draft"])
        table.append(["ef01", "Mine A", "已提交"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        func column(of text: String, in line: String) -> Int? {
            guard let range = line.range(of: text) else { return nil }
            return DisplayWidth.of(String(line[..<range.lowerBound]))
        }
        #expect(column(of: "矿山名称", in: lines[0]) == 6)
        #expect(column(of: "长安区", in: lines[2]) == 6)
        #expect(column(of: "Mine A", in: lines[3]) == 6)
        let state = [column(of: "State", in: lines[0]), column(of: "draft", in: lines[2]),
                     column(of: "已提交", in: lines[3])]
        #expect(state == [26, 26, 26], "\(lines.joined(separator: "\n"))")
    }

    @Test func statusInChineseAndEnglish() async throws {
        let home = await TestHome.loggedIn()
        _ = await home.newPre()
        let english = await home.run(["status"])
        #expect(english.stdout.contains("Queued changes: 1"))
        #expect(english.stdout.contains("Last successful sync: never"))
        home.language = "zh_CN.UTF-8"
        let chinese = await home.run(["status"])
        #expect(chinese.stdout.contains("待同步的修改：1"))
        #expect(chinese.stdout.contains("预申报"))
        let forced = await home.run(["status", "--lang", "en"])
        #expect(forced.stdout.contains("Account: alice"))
        let bad = await home.run(["status", "--lang", "fr"])
        #expect(bad.status != 0)
    }

    @Test func errorsAreJSONWithTheJSONFlag() async throws {
        let home = await TestHome.loggedIn()
        let run = await home.run(["pre", "show", "ffff", "--json"])
        #expect(run.status == 1)
        let body = try WireCoding.decode(APIErrorBody.self, from: Data(run.stderr.utf8))
        #expect(body.error.code == "unknown_id")
        #expect(body.error.messageZh?.contains("本地没有") == true)
    }
}
