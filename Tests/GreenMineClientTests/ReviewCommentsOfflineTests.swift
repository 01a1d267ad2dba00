import Foundation
import GreenMineShared
import Testing
@testable import GreenMineClient

/// Issue 14 item 1: the reviewer's comments come with the record's pull (`review.trail`); `app show`
/// and `status` show the latest, and `history` works offline from them.
struct ReviewCommentsOfflineTests {
    static func returned() throws -> Record {
        var record = ReviewFixtures.application(.returned)
        let at = Date(timeIntervalSince1970: 1_796_200_000)
        try ProcessTrail.append(HistoryEvent(
            seq: 0, recordId: record.id, action: "submit", actorId: "u-alice", actorName: "alice", role: .enterprise,
            orgId: FakeServer.orgId, serverTime: at, deviceTime: at, fromState: .draft, toState: .submitted,
            version: 2, comment: nil), to: &record)
        try ProcessTrail.append(HistoryEvent(
            seq: 0, recordId: record.id, action: "sendBack", actorId: "u-prov", actorName: "prov", role: .province,
            orgId: nil, serverTime: at.addingTimeInterval(3600), deviceTime: nil, fromState: .underReview,
            toState: .returned, version: 3, comment: "联系人电话请补充固定电话"), to: &record)
        return record
    }

    @Test func showStatusAndOfflineHistorySayTheReason() async throws {
        let home = await TestHome.loggedIn()
        let record = try Self.returned()
        try home.seed([record])
        let short = TestHome.short(record)
        home.server.offline = true
        let show = await home.run(["app", "show", short])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Reviewer comments"))
        #expect(show.stdout.contains("联系人电话请补充固定电话"))
        let status = await home.run(["status"])
        #expect(status.stdout.contains("latest reviewer comment"), "\(status.stdout)")
        #expect(status.stdout.contains("联系人电话请补充固定电话"))
        let history = await home.run(["history", short])
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("offline"))
        #expect(history.stdout.contains("联系人电话请补充固定电话"))
        #expect(history.stdout.contains("prov"))
    }

    @Test func theTrailKeepsTheLastStepsOnly() throws {
        var record = ReviewFixtures.application(.submitted)
        for index in 0..<(ProcessTrail.kept + 5) {
            try ProcessTrail.append(HistoryEvent(
                seq: 0, recordId: record.id, action: "opinion", actorId: "u", actorName: "county", role: .county,
                orgId: nil, serverTime: Date(timeIntervalSince1970: Double(index)), deviceTime: nil,
                fromState: .submitted, toState: .submitted, version: index + 1, comment: "意见 \(index)"), to: &record)
        }
        let events = ProcessTrail.events(of: record)
        #expect(events.count == ProcessTrail.kept)
        #expect(ProcessTrail.comments(of: record).first?.comment == "意见 \(ProcessTrail.kept + 4)")
    }
}
