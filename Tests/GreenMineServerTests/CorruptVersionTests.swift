import Foundation
import GRDB
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// A version whose changed paths cannot be read is a storage failure, not "no foreign change":
/// a merge on an older base must not overwrite what that version changed.
struct CorruptVersionTests {
    @Test func unreadableChangedPathsFailThePushAndWriteNothing() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            var laptop = Device()
            var desktop = Device()
            let created = try await api.apply(token, laptop, laptop.create(.application, set: [
                "basic.mineName": .string("旧名"),
            ]))
            let changed = try await api.apply(token, laptop, laptop.patch(created, set: ["basic.mineName": .string("新名")]))
            #expect(changed.version == 2)
            try await harness.backend.execute("UPDATE record_versions SET changed_paths = ? WHERE record_id = ? AND version = 2",
                                              [.text("not json"), .text(created.id.uuidString)])
            let before = try await harness.counts()
            // On version 1, the desktop sets the field the laptop's version 2 changed.
            let response = try await api.send(.post, "/v1/sync/push", token: token, json: desktop.request([
                desktop.patch(created, set: ["basic.mineName": .string("桌面名")]),
            ]))
            try API.expectError(response, .internalServerError, "internal")
            #expect(try await harness.counts() == before)
            #expect(try await harness.stored(created.id)?.fields["basic.mineName"] == .string("新名"))
            #expect(try await harness.versions(of: created.id) == [1, 2])
        }
    }
}
