import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// A real server on a loopback socket: what the router tests cannot show (the peer's address, real
/// HTTP framing).
struct LiveServerTests {
    @Test func loginPushPullOverASocket() async throws {
        let harness = try await Harness()
        let password = try #require(harness.passwords["demo-ent1"])
        let provincePassword = try #require(harness.passwords["demo-province"])
        try await harness.withAPI(.live) { api in
            #expect(try await api.send(.get, "/healthz").status == .ok)
            let login = try await api.login("demo-ent1", password)
            var device = Device()
            let submitted = try await api.submittedPreApplication(login.token, &device)
            #expect(submitted.state == .submitted)
            let page = try await api.pull(login.token, clientId: device.clientId)
            #expect(page.records.map(\.id) == [submitted.id])
            #expect(page.records.first == submitted)
            #expect(page.lastSeq == device.nextSeq - 1)
            let province = try await api.login("demo-province", provincePassword)
            let reviewed = try await api.pull(province.token)
            #expect(reviewed.records.map(\.id) == [submitted.id])
            let logout = try await api.send(.post, "/v1/auth/logout", token: login.token)
            #expect(logout.status == .noContent)
            try API.expectError(try await api.pullResponse(login.token), .unauthorized, "unauthorized")
            // A 413 over a real connection: the server answers instead of hanging up.
            let big = Data(repeating: UInt8(ascii: "x"), count: 64 * 1024)
            try API.expectError(try await api.send(.post, "/v1/auth/login", body: big), .contentTooLarge,
                                "payload_too_large")
            #expect(try await api.send(.get, "/healthz").status == .ok)
        }
    }

    @Test func failedLoginsAreRateLimitedPerAddress() async throws {
        let harness = try await Harness(throttle: LoginThrottle(accountLimit: 5, addressLimit: 3, window: 600))
        let password = try #require(harness.passwords["demo-ministry"])
        try await harness.withAPI(.live) { api in
            // Three different accounts, one wrong guess each: under the account limit, at the address limit.
            for name in ["demo-ent1", "demo-ent2", "demo-county"] {
                try API.expectError(try await api.send(.post, "/v1/auth/login",
                                                       json: LoginRequest(username: name, password: "guess-1234")),
                                    .unauthorized, "invalid_credentials")
            }
            let limited = try await api.send(.post, "/v1/auth/login",
                                             json: LoginRequest(username: "demo-ministry", password: password))
            try API.expectError(limited, .tooManyRequests, "too_many_attempts")
            #expect(limited.headers[.retryAfter] == "600")
            // The address is a real one, not a shared placeholder: logins from elsewhere still work.
            _ = try await harness.services.auth.login(username: "demo-ministry", password: password,
                                                      address: "192.0.2.1")
            harness.clock.advance(by: 600)
            _ = try await api.login("demo-ministry", password)
        }
    }
}
