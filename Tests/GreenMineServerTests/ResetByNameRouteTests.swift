import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// Issue 14 item 2: `POST /v1/admin/users/{id or user name}/reset-password` finds a user by name:
/// a province among the accounts it may reset, the ministry any.
struct ResetByNameRouteTests {
    @Test func aProvinceFindsItsEnterprisesByNameAndTheMinistryAnyone() async throws {
        let harness = try await Harness()
        let admin = AdminService(services: harness.services)
        let code = "91410100MA0DEM0X9" + String(CreditCode.checkCharacter(forFirst17: "91410100MA0DEM0X9") ?? "0")
        try await admin.addOrganisation(Organisation(creditCode: code, name: "河南某矿业", region: "410102"))
        _ = try await admin.addUser(NewUser(username: "henan-ent", role: .enterprise, orgId: code), password: "Henan2026pass")
        let province = try await harness.token("demo-province")
        let ministry = try await harness.token("demo-ministry")
        try await harness.withAPI { api in
            let reset = try API.decode(PasswordResetResponse.self, try await api.send(
                .post, "/v1/admin/users/demo-ent1/reset-password", token: province))
            #expect(reset.username == "demo-ent1")
            // Another province's enterprise, or a reviewer, by name: as if there were none.
            try API.expectError(try await api.send(.post, "/v1/admin/users/henan-ent/reset-password", token: province),
                                .notFound, "user_not_found")
            try API.expectError(try await api.send(.post, "/v1/admin/users/demo-county/reset-password", token: province),
                                .notFound, "user_not_found")
            // The ministry finds anyone by name.
            let byMinistry = try API.decode(PasswordResetResponse.self, try await api.send(
                .post, "/v1/admin/users/henan-ent/reset-password", token: ministry))
            #expect(byMinistry.username == "henan-ent")
            try API.expectError(try await api.send(.post, "/v1/admin/users/nobody/reset-password", token: ministry),
                                .notFound, "user_not_found")
        }
    }
}
