import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// `/v1/auth/*`, `/v1/me`, `/healthz` and `/v1/licenses/{number}`: success and error paths, rate
/// limiting, token expiry and revocation, and the must-change-password state after a reset.
struct AuthRouteTests {
    @Test func loginReturnsATokenThatOpensMe() async throws {
        let harness = try await Harness()
        let password = try #require(harness.passwords["demo-ent1"])
        try await harness.withAPI { api in
            let login = try await api.login("demo-ent1", password)
            #expect(login.user.username == "demo-ent1")
            #expect(login.user.role == .enterprise)
            #expect(login.user.orgId == DemoData.creditCode(1))
            #expect(!login.user.mustChangePassword)
            #expect(login.expiresAt == Harness.start.addingTimeInterval(3600))
            #expect(login.token.count >= 40)
            let me = try await api.send(.get, "/v1/me", token: login.token)
            #expect(me.status == .ok)
            let info = try API.decode(UserInfo.self, me)
            #expect(info == login.user)
            #expect(info.orgName == "石家庄长安绿源矿业有限公司")
            // Two logins give two different tokens, both valid.
            let second = try await api.login("demo-ent1", password)
            #expect(second.token != login.token)
            #expect(try await api.send(.get, "/v1/me", token: login.token).status == .ok)
        }
    }

    @Test func loginRefusals() async throws {
        let harness = try await Harness()
        try await harness.withAPI { api in
            try API.expectError(try await api.send(.post, "/v1/auth/login",
                                                   json: LoginRequest(username: "demo-ent1", password: "wrong-pass1")),
                                .unauthorized, "invalid_credentials")
            try API.expectError(try await api.send(.post, "/v1/auth/login",
                                                   json: LoginRequest(username: "nobody", password: "whatever12")),
                                .unauthorized, "invalid_credentials")
            try API.expectError(try await api.send(.post, "/v1/auth/login", body: Data("{\"username\":".utf8)),
                                .badRequest, "malformed_json")
            try API.expectError(try await api.send(.post, "/v1/auth/login", body: Data(#"{"username":"a"}"#.utf8)),
                                .badRequest, "invalid_body")
            try API.expectError(try await api.send(.post, "/v1/auth/login",
                                                   body: Data(#"{"username":1,"password":2}"#.utf8)),
                                .badRequest, "invalid_body")
            try API.expectError(try await api.send(.post, "/v1/auth/login", body: Data()),
                                .badRequest, "malformed_json")
            let huge = Data(#"{"username":"demo-ent1","password":""#.utf8) + Data(repeating: UInt8(ascii: "a"), count: 17 * 1024)
                + Data(#""}"#.utf8)
            try API.expectError(try await api.send(.post, "/v1/auth/login", body: huge),
                                .contentTooLarge, "payload_too_large")
            try API.expectError(try await api.send(.get, "/v1/auth/login"), .methodNotAllowed, "method_not_allowed")
        }
    }

    @Test func meNeedsAValidBearerToken() async throws {
        let harness = try await Harness()
        try await harness.withAPI { api in
            try API.expectError(try await api.send(.get, "/v1/me"), .unauthorized, "unauthorized")
            try API.expectError(try await api.send(.get, "/v1/me", token: "not-a-token"), .unauthorized, "unauthorized")
            try API.expectError(try await api.send(.get, "/v1/me", token: String(repeating: "x", count: 5000)),
                                .unauthorized, "unauthorized")
            var basic = API.headers(nil)
            basic[.authorization] = "Basic ZGVtbzpkZW1v"
            try API.expectError(try await api.send(.get, "/v1/me", headers: basic), .unauthorized, "unauthorized")
            var empty = API.headers(nil)
            empty[.authorization] = "Bearer "
            try API.expectError(try await api.send(.get, "/v1/me", headers: empty), .unauthorized, "unauthorized")
        }
    }

    @Test func logoutRevokesOnlyThatToken() async throws {
        let harness = try await Harness()
        let first = try await harness.token("demo-county")
        let second = try await harness.token("demo-county")
        try await harness.withAPI { api in
            let response = try await api.send(.post, "/v1/auth/logout", token: first)
            #expect(response.status == .noContent)
            try API.expectError(try await api.send(.get, "/v1/me", token: first), .unauthorized, "unauthorized")
            try API.expectError(try await api.pullResponse(first), .unauthorized, "unauthorized")
            try API.expectError(try await api.send(.post, "/v1/auth/logout", token: first), .unauthorized,
                                "unauthorized")
            try API.expectError(try await api.send(.post, "/v1/auth/logout"), .unauthorized, "unauthorized")
            #expect(try await api.send(.get, "/v1/me", token: second).status == .ok)
        }
    }

    @Test func passwordChangeRevokesOldTokensAndReturnsANewOne() async throws {
        let harness = try await Harness()
        let oldPassword = try #require(harness.passwords["demo-ent2"])
        let other = try await harness.token("demo-ent2")
        try await harness.withAPI { api in
            let login = try await api.login("demo-ent2", oldPassword)
            func change(_ current: String, _ new: String, token: String? = login.token) async throws -> TestResponse {
                try await api.send(.post, "/v1/auth/password", token: token,
                                   json: PasswordChangeRequest(currentPassword: current, newPassword: new))
            }
            try API.expectError(try await change("wrong-one1", "Brand-new-2026"), .unauthorized, "invalid_credentials")
            try API.expectError(try await change(oldPassword, "short1"), .badRequest, "weak_password")
            try API.expectError(try await change(oldPassword, "onlyletters"), .badRequest, "weak_password")
            try API.expectError(try await change(oldPassword, "12345678901"), .badRequest, "weak_password")
            try API.expectError(try await change(oldPassword, oldPassword), .badRequest, "weak_password")
            try API.expectError(try await change(oldPassword, "Brand-new-2026", token: nil), .unauthorized,
                                "unauthorized")
            try API.expectError(try await api.send(.post, "/v1/auth/password", token: login.token,
                                                   body: Data(#"{"currentPassword":"x"}"#.utf8)),
                                .badRequest, "invalid_body")
            // The refusals changed nothing: the old token still works.
            #expect(try await api.send(.get, "/v1/me", token: login.token).status == .ok)

            let changed = try await change(oldPassword, "Brand-new-2026")
            #expect(changed.status == .ok)
            let renewed = try API.decode(LoginResponse.self, changed)
            #expect(renewed.token != login.token)
            #expect(renewed.user.username == "demo-ent2")
            try API.expectError(try await api.send(.get, "/v1/me", token: login.token), .unauthorized, "unauthorized")
            try API.expectError(try await api.send(.get, "/v1/me", token: other), .unauthorized, "unauthorized")
            #expect(try await api.send(.get, "/v1/me", token: renewed.token).status == .ok)
            try API.expectError(try await api.send(.post, "/v1/auth/login",
                                                   json: LoginRequest(username: "demo-ent2", password: oldPassword)),
                                .unauthorized, "invalid_credentials")
            _ = try await api.login("demo-ent2", "Brand-new-2026")
        }
    }

    @Test func adminResetForcesAPasswordChangeBeforeAnythingElse() async throws {
        let harness = try await Harness()
        let before = try await harness.token("demo-province")
        let user = try await harness.user(before)
        let initial = try await harness.services.auth.resetPassword(userId: user.info.id)
        #expect(AuthService.weakness(of: initial, username: "demo-province") == nil)
        try await harness.withAPI { api in
            try API.expectError(try await api.send(.get, "/v1/me", token: before), .unauthorized, "unauthorized")
            let login = try await api.login("demo-province", initial)
            #expect(login.user.mustChangePassword)
            try API.expectError(try await api.pullResponse(login.token), .forbidden, "password_change_required")
            try API.expectError(try await api.send(.post, "/v1/sync/push", token: login.token,
                                                   json: PushRequest(clientId: UUID(), mutations: [])),
                                .forbidden, "password_change_required")
            try API.expectError(try await api.history(login.token, UUID()), .forbidden, "password_change_required")
            try API.expectError(try await api.send(.get, "/v1/licenses/\(DemoData.licence(1))", token: login.token),
                                .forbidden, "password_change_required")
            let me = try API.decode(UserInfo.self, try await api.send(.get, "/v1/me", token: login.token))
            #expect(me.mustChangePassword)
            let changed = try await api.send(.post, "/v1/auth/password", token: login.token,
                                             json: PasswordChangeRequest(currentPassword: initial,
                                                                         newPassword: "Province-2026x"))
            #expect(changed.status == .ok)
            let renewed = try API.decode(LoginResponse.self, changed)
            #expect(!renewed.user.mustChangePassword)
            #expect(try await api.pullResponse(renewed.token).status == .ok)
            try API.expectError(try await api.pullResponse(login.token), .unauthorized, "unauthorized")
        }
        await #expect(throws: ServiceError.self) {
            _ = try await harness.services.auth.resetPassword(userId: "no-such-user")
        }
    }

    @Test func tokensExpireAfterTheirLifetime() async throws {
        let harness = try await Harness(tokenLifetime: 3600)
        let token = try await harness.token("demo-ministry")
        try await harness.withAPI { api in
            harness.clock.advance(by: 3599)
            #expect(try await api.send(.get, "/v1/me", token: token).status == .ok)
            #expect(try await api.pullResponse(token).status == .ok)
            harness.clock.advance(by: 1)
            try API.expectError(try await api.send(.get, "/v1/me", token: token), .unauthorized, "unauthorized")
            try API.expectError(try await api.pullResponse(token), .unauthorized, "unauthorized")
        }
    }

    @Test func failedLoginsAreRateLimitedPerAccount() async throws {
        let harness = try await Harness()
        let password = try #require(harness.passwords["demo-ent1"])
        try await harness.withAPI { api in
            for _ in 0..<5 {
                try API.expectError(try await api.send(.post, "/v1/auth/login",
                                                       json: LoginRequest(username: "demo-ent1", password: "bad-guess1")),
                                    .unauthorized, "invalid_credentials")
            }
            // Even the right password is refused now, with how long to wait.
            let limited = try await api.send(.post, "/v1/auth/login",
                                             json: LoginRequest(username: "demo-ent1", password: password))
            try API.expectError(limited, .tooManyRequests, "too_many_attempts")
            let wait = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...900).contains(wait))
            // Another account is not affected.
            _ = try await api.login("demo-ent2", try #require(harness.passwords["demo-ent2"]))
            // Case does not dodge the limit.
            try API.expectError(try await api.send(.post, "/v1/auth/login",
                                                   json: LoginRequest(username: "DEMO-ENT1", password: password)),
                                .tooManyRequests, "too_many_attempts")
            harness.clock.advance(by: TimeInterval(wait) - 1)
            try API.expectError(try await api.send(.post, "/v1/auth/login",
                                                   json: LoginRequest(username: "demo-ent1", password: password)),
                                .tooManyRequests, "too_many_attempts")
            harness.clock.advance(by: 1)
            let login = try await api.login("demo-ent1", password)
            #expect(login.user.username == "demo-ent1")
        }
    }

    @Test func successfulLoginClearsTheAccountsFailures() async throws {
        let harness = try await Harness()
        let password = try #require(harness.passwords["demo-city"])
        try await harness.withAPI { api in
            for _ in 0..<4 {
                _ = try await api.send(.post, "/v1/auth/login",
                                       json: LoginRequest(username: "demo-city", password: "bad-guess1"))
            }
            _ = try await api.login("demo-city", password)
            for _ in 0..<4 {
                _ = try await api.send(.post, "/v1/auth/login",
                                       json: LoginRequest(username: "demo-city", password: "bad-guess1"))
            }
            _ = try await api.login("demo-city", password)
        }
    }

    @Test func healthNeedsNoToken() async throws {
        let harness = try await Harness()
        try await harness.withAPI { api in
            let response = try await api.send(.get, "/healthz")
            #expect(response.status == .ok)
            let health = try API.decode(HealthResponse.self, response)
            #expect(health.status == "ok")
            #expect(health.version == ProductVersion.current)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            // A known path with the wrong method is 405; an unknown path 404.
            try API.expectError(try await api.send(.post, "/healthz"), .methodNotAllowed, "method_not_allowed")
            try API.expectError(try await api.send(.get, "/v1/nothing-here"), .notFound, "no_route")
        }
    }

    @Test func licenceLookup() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            let response = try await api.send(.get, "/v1/licenses/\(DemoData.licence(1))", token: token)
            #expect(response.status == .ok)
            let licence = try API.decode(LicenceInfo.self, response)
            #expect(licence.number == DemoData.licence(1))
            #expect(licence.creditCode == DemoData.creditCode(1))
            #expect(licence.region == "130102")
            #expect(licence.miningMethod == "openPit")
            #expect(licence.validTo == "2031-12-31")
            try API.expectError(try await api.send(.get, "/v1/licenses/C1301002020127130009999", token: token),
                                .notFound, "licence_unknown")
            try API.expectError(try await api.send(.get, "/v1/licenses/%27%20OR%201%3D1", token: token),
                                .notFound, "licence_unknown")
            try API.expectError(try await api.send(.get, "/v1/licenses/\(DemoData.licence(1))"),
                                .unauthorized, "unauthorized")
        }
    }

    @Test func ownLicences() async throws {
        let harness = try await Harness()
        let enterprise = try await harness.token("demo-ent1")
        let province = try await harness.token("demo-province")
        try await harness.withAPI { api in
            let own = try API.decode(LicencesResponse.self,
                                     try await api.send(.get, "/v1/licenses", token: enterprise))
            #expect(own.licences.map(\.number) == [DemoData.licence(1)], "only the organisation's own licences")
            #expect(own.licences.allSatisfy { $0.creditCode == DemoData.creditCode(1) })
            let none = try API.decode(LicencesResponse.self, try await api.send(.get, "/v1/licenses", token: province))
            #expect(none.licences.isEmpty, "a reviewer belongs to no organisation")
            try API.expectError(try await api.send(.get, "/v1/licenses"), .unauthorized, "unauthorized")
        }
    }
}
