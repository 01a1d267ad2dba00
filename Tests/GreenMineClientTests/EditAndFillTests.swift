import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// `app edit` with a scripted $EDITOR and `app fill` with piped answers.
struct EditAndFillTests {
    @Test func editAppliesWhatTheEditorWrote() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        let editor = try home.script("editor.sh", """
            sed -i -e 's/^contact.person = .*/contact.person = 王五/' \
                   -e 's/^indicators.employees = .*/indicators.employees = 300/' \
                   -e 's/^basic.miningMethod = .*/basic.miningMethod = 露天-地下联合/' \
                   -e 's/^status.environment = .*/status.environment = 第一行\\\\n第二行/' "$1"
            """)
        home.extraVariables["EDITOR"] = editor
        let before = try home.outbox().count
        let run = await home.run(["app", "edit", String(app.prefix(8))])
        #expect(run.status == 0, "\(run.stderr)")
        let working = try #require(try home.local(app)).working
        #expect(working.fields["contact.person"] == .string("王五"))
        #expect(working.fields["indicators.employees"] == .int(300))
        #expect(working.fields["basic.miningMethod"] == .string("combined"))
        #expect(working.fields["status.environment"] == .string("第一行\n第二行"))
        #expect(working.fields["basic.holder"] == .string("石家庄绿源矿业有限公司"))
        let outbox = try home.outbox()
        #expect(outbox.count == before + 1)
        #expect(Set(outbox.last?.set?.keys.map { $0 } ?? []) ==
                ["contact.person", "indicators.employees", "basic.miningMethod", "status.environment"])
        #expect(!FileManager.default.fileExists(atPath: home.home.url.appendingPathComponent("edit-\(app).txt").path))
    }

    @Test func theDocumentListsEveryFieldWithLabelsAndUnits() throws {
        var record = Record(id: UUID(), kind: .application, fields: ["basic.productionScale": .double(120)])
        record.fields["prerequisites.x"] = .bool(true)
        let document = FormDocument.render(record, language: .zh)
        for field in FormSchema.fields(for: .application) {
            #expect(document.contains("\n\(field.path) = "))
            #expect(document.contains(field.label.zh))
            #expect(document.contains(field.label.en))
        }
        #expect(document.contains("basic.productionScale = 120"))
        #expect(document.contains("[万吨/年]"))
        let parsed = FormDocument.parse(document, kind: .application)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.values["basic.productionScale"] == .double(120))
        #expect(parsed.values["basic.holder"] == .null)
    }

    @Test func errorsReopenTheEditorAndNothingIsWrittenUntilAllIsRight() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        let counter = home.root.appendingPathComponent("count").path
        let editor = try home.script("editor.sh", """
            n=$(cat "\(counter)" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "\(counter)"
            if [ $n -eq 1 ]; then
              sed -i -e 's/^indicators.landReclamationRate = .*/indicators.landReclamationRate = 120/' \
                     -e 's/^contact.person = .*/contact.person = 赵六/' -e '$a basic.colour = green' "$1"
            else
              grep -q '^# ! ' "$1" || exit 9
              sed -i -e 's/^indicators.landReclamationRate = .*/indicators.landReclamationRate = 90/' \
                     -e '/^basic.colour/d' "$1"
            fi
            """)
        home.extraVariables["EDITOR"] = editor
        let before = try home.outbox().count
        let run = await home.run(["app", "edit", app], input: ["y"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("at most 100"))
        #expect(run.stderr.contains("no field 'basic.colour'"))
        let working = try #require(try home.local(app)).working
        #expect(working.fields["indicators.landReclamationRate"]?.number == 90)
        #expect(working.fields["contact.person"] == .string("赵六"))
        #expect(try home.outbox().count == before + 1)
    }

    @Test func abandoningOrAFailingEditorWritesNothing() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        home.extraVariables["EDITOR"] = try home.script("bad.sh",
            "sed -i 's/^indicators.employees = .*/indicators.employees = many/' \"$1\"")
        let before = try home.local(app)
        let abandon = await home.run(["app", "edit", app], input: ["n"])
        #expect(abandon.status == 1)
        #expect(abandon.stderr.contains("whole number"))
        #expect(abandon.stderr.contains("abandoned"))
        home.extraVariables["EDITOR"] = try home.script("fail.sh", "exit 3")
        let failed = await home.run(["app", "edit", app])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("status 3"))
        #expect(try home.local(app) == before)
    }

    @Test func fillAsksFieldByFieldAndChecksEachAnswer() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        home.language = "zh_CN.UTF-8"
        let answers = ["李四", "", "1381234567", "13812345678", "", "lisi@example.com", "河北省石家庄市", "050000"]
        let run = await home.run(["app", "fill", app, "--section", "contact"], input: answers)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("联系人"))
        #expect(run.stdout.contains("✗"))
        let working = try #require(try home.local(app)).working
        #expect(working.fields["contact.person"] == .string("李四"))
        #expect(working.fields["contact.position"] == nil)
        #expect(working.fields["contact.mobile"] == .string("13812345678"))
        #expect(working.fields["contact.postalCode"] == .string("050000"))
    }

    @Test func fillSkipsRegistryFieldsTakesOptionNumbersAndStopsAtTheEndOfInput() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        let run = await home.run(["app", "fill", app], input: ["4", "矿山路1号"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("Mining-rights holder"))
        let working = try #require(try home.local(app)).working
        #expect(working.fields["basic.economicType"] == .string("limitedLiability"))
        #expect(working.fields["basic.address"] == .string("矿山路1号"))
    }

    @Test func fillCanBeAbandoned() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        let before = try home.outbox().count
        let run = await home.run(["app", "fill", app], input: ["4", ":q"])
        #expect(run.status == 1)
        #expect(try home.outbox().count == before)
    }
}
