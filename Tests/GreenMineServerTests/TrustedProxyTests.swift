import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// Behind a balancer (`--trusted-proxy`), the login throttle's per-address limit counts each client's
/// failures by the address the balancer forwarded; from a peer nobody trusts, `X-Forwarded-For` changes
/// nothing (a client could write anything in it).
struct TrustedProxyTests {
    /// 21 failed logins (distinct unknown names, so no account's own limit is reached) said to come from
    /// 10.0.0.1, then demo-ent1's good password said to come from 10.0.0.2: the login's status.
    static func loginAfterAnotherClientsFailures(trusting: Set<String>) async throws -> HTTPResponse.Status {
        let harness = try await Harness(trustedProxies: trusting)
        let password = try #require(harness.passwords["demo-ent1"])
        return try await harness.withAPI(.live) { api in
            func login(_ username: String, _ password: String, from address: String) async throws -> TestResponse {
                var headers = API.headers(nil)
                headers[try #require(HTTPFields.Element.Name("X-Forwarded-For"))] = "192.0.2.7, \(address)"
                return try await api.send(.post, "/v1/auth/login",
                                          body: try WireCoding.encode(LoginRequest(username: username, password: password)),
                                          headers: headers)
            }
            for n in 0..<21 {
                let refused = try await login("nobody\(n)", "wrong-password", from: "10.0.0.1")
                #expect(refused.status == .unauthorized || refused.status == .tooManyRequests)
            }
            return try await login("demo-ent1", password, from: "10.0.0.2").status
        }
    }

    @Test func aTrustedBalancersClientsAreThrottledApart() async throws {
        #expect(try await Self.loginAfterAnotherClientsFailures(trusting: ["127.0.0.1", "::1"]) == .ok)
    }

    @Test func anUntrustedPeersForwardedForIsIgnored() async throws {
        #expect(try await Self.loginAfterAnotherClientsFailures(trusting: []) == .tooManyRequests)
        #expect(try await Self.loginAfterAnotherClientsFailures(trusting: ["10.9.9.9"]) == .tooManyRequests)
    }

    @Test func addressesCompareInOneSpelling() {
        #expect(ForwardedForMiddleware.normalised("::ffff:10.0.0.5") == "10.0.0.5")
        #expect(ForwardedForMiddleware.normalised("0:0:0:0:0:0:0:1") == "::1")
        #expect(ForwardedForMiddleware.normalised("127.0.0.1") == "127.0.0.1")
        #expect(ForwardedForMiddleware(trusted: ["::ffff:127.0.0.1"]).trusted == ["127.0.0.1"])
    }
}
