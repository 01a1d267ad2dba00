import Foundation
import GreenMineShared
import Testing

/// An enterprise withdraws a submitted pre-application offline while the province accepts it:
/// whichever the server sees second is refused with a clear reason, and nobody is left confused.
@Suite("End to end: a withdrawal racing a reviewer's accept")
struct WithdrawRaceTests {
    enum Order: String, CustomTestStringConvertible, CaseIterable, Sendable {
        case reviewerFirst
        case enterpriseFirst

        var testDescription: String {
            self == .reviewerFirst ? "the province's accept arrives first" : "the enterprise's withdrawal arrives first"
        }
    }

    @Test("whichever arrives second is refused with a clear reason", arguments: Order.allCases)
    func withdrawalRacesAccept(order: Order) async throws {
        try await Scenario.run("race-\(order.rawValue)") { scenario in
            try await scenario.server.start()
            // A complete pre-application (with its photo) that the enterprise's laptop submits.
            let id = try await Flows.preApplication(in: scenario, submit: false, approve: false)
            let pre = id.uuidString.lowercased()
            let laptop = try await scenario.loggedInHome("ent1", as: "demo-ent1")
            try await laptop.syncOK()
            try await laptop.ok(["pre", "check", pre])
            try await laptop.ok(["pre", "submit", pre])
            try await laptop.syncOK()
            let submitted = try #require(try scenario.database.record(id))
            #expect(submitted.state == "submitted")

            // The province sees the submitted record; the enterprise withdraws it offline.
            let province = try await APIUser("demo-province", in: scenario)
            let seenByProvince = try await province.api.record(province.token, id)
            #expect(seenByProvince.version == submitted.version)
            try await laptop.ok(["pre", "withdraw", pre])
            #expect(try await laptop.show("pre", id).record.state == .draft, "withdrawn locally at once")

            switch order {
            case .reviewerFirst:
                let accepted = try await province.fire(.accept, on: seenByProvince)
                #expect(accepted.status == .applied)
                let sync = try await laptop.sync()
                #expect(sync.status == 2, "a refused change is not a clean sync: \(sync)")
                let line = try #require(sync.stderr.split(separator: "\n").first { $0.contains("refused") },
                                        "the sync names the refusal: \(sync)")
                let refusals = try await laptop.json([ClientHome.Refusal].self, ["rejections", "--all"])
                #expect(refusals.count == 1)
                let refusal = try #require(refusals.first)
                #expect(refusal.recordId == id && refusal.op == .transition && refusal.transition == .withdraw)
                #expect(refusal.code == "stale", "code \(refusal.code): \(refusal.message)")
                // The reason says where the record is now, in both languages.
                #expect(refusal.message.contains("under review"), "a reason a person can act on: \(refusal.message)")
                #expect(refusal.messageZh?.contains("已受理") == true, "\(refusal.messageZh ?? "no Chinese reason")")
                #expect(line.contains(refusal.code) && line.contains(refusal.message), "\(line)")
                // In Chinese too, for a user whose LANG says so (the table shortens long reasons).
                let chinese = try await laptop.run(["rejections", "--all"], lang: "zh_CN.UTF-8")
                let reasonStart = String((refusal.messageZh ?? "—").prefix(20))
                #expect(chinese.exitedCleanly && chinese.stdout.contains(reasonStart), "\(chinese)")
                // The laptop now shows the server's truth: accepted, under review, nothing queued.
                let shown = try await laptop.show("pre", id)
                #expect(shown.record.state == .underReview)
                #expect(shown.pending.isEmpty)
                let stored = try #require(try scenario.database.record(id))
                #expect(stored.state == "underReview")
                #expect(try scenario.database.audit(of: id).map(\.action).contains("withdraw") == false)
                // A second sync has nothing more to say.
                try await laptop.syncOK()

            case .enterpriseFirst:
                try await laptop.syncOK()
                #expect(try #require(try scenario.database.record(id)).state == "draft")
                let accepted = try await province.fire(.accept, on: seenByProvince)
                #expect(accepted.status == .rejected)
                #expect(accepted.error?.code == "withdrawn", "\(accepted.error?.code ?? "none"): \(accepted.error?.message ?? "")")
                #expect((accepted.error?.message.count ?? 0) > 20, "a reason a person can read: \(accepted.error?.message ?? "")")
                #expect(accepted.error?.messageZh?.isEmpty == false)
                #expect(accepted.record == nil)
                let stored = try #require(try scenario.database.record(id))
                #expect(stored.state == "draft")
                #expect(try scenario.database.audit(of: id).map(\.action).contains("accept") == false)
                // The enterprise's laptop sees its draft, editable again, with nothing refused.
                try await laptop.syncOK()
                let shown = try await laptop.show("pre", id)
                #expect(shown.record.state == .draft)
                #expect(try await laptop.json([ClientHome.Refusal].self, ["rejections", "--all"]).isEmpty)
                try await laptop.ok(["pre", "set", pre, "remarks.text=撤回后补充说明。"])
            }
            #expect(try laptop.outboxCount() == 0 || order == .enterpriseFirst)
            #expect(try laptop.integrityCheck() == ["ok"])
        }
    }
}
