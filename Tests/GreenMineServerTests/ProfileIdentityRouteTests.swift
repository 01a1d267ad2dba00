import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// Issue 14 item 6: the profile made on two devices before either synced is one record (its id is
/// `ProfileIdentity`'s); the second create is taken as a change of it.
struct ProfileIdentityRouteTests {
    @Test func aSecondDevicesCreateOfTheSameProfileIsAChange() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        let user = try await harness.user(token)
        try await harness.withAPI { api in
            let id = ProfileIdentity.recordId(forUser: user.info.id)
            var laptop = Device()
            var phone = Device()
            let first = try await api.apply(token, laptop, laptop.create(
                .profile, id: id, set: ["profile.name": .string("张三"), "profile.mobile": .string("13812345678")]))
            #expect(first.version == 1)
            let second = try await api.apply(token, phone, phone.create(
                .profile, id: id, set: ["profile.email": .string("zhang@example.com")]))
            #expect(second.id == id)
            #expect(second.version == 2)
            #expect(second.fields["profile.name"] == .string("张三"))
            #expect(second.fields["profile.email"] == .string("zhang@example.com"))
            let profiles = try await api.pullAll(token).records.values.filter { $0.kind == .profile }
            #expect(profiles.map(\.id) == [id])
            // Someone else's id is still refused.
            let other = try await harness.token("demo-ent2")
            var theirs = Device()
            try await api.expectRejected(other, theirs, theirs.create(.profile, id: id, set: [:]), "already_exists")
        }
    }
}
