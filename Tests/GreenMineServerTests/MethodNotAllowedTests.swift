import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// A known path with a method it does not serve answers 405 with `Allow`; an unknown path stays 404.
struct MethodNotAllowedTests {
    @Test func aKnownPathWithAnotherMethodIs405WithAllow() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent1")
        try await harness.withAPI { api in
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.delete, "/v1/me", "GET"),
                (.put, "/v1/sync/push", "POST"),
                (.post, "/v1/sync/pull", "GET"),
                (.get, "/v1/uploads/\(UUID().wireString)", "DELETE, HEAD, PATCH"),
                (.delete, "/v1/records/\(UUID().wireString)/history", "GET"),
                (.get, "/v1/auth/login", "POST"),
                (.post, "/healthz", "GET"),
            ]
            for (method, path, allow) in cases {
                let response = try await api.send(method, path, token: token)
                #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status)")
                #expect(response.headers[.allow] == allow, "\(method) \(path)")
                let error = try API.error(response)
                #expect(error.code == "method_not_allowed")
                #expect(error.messageZh?.contains(allow.components(separatedBy: ", ")[0]) == true)
            }
            for path in ["/nope", "/v1/records/a/b/history", "/v1/uploads/a/b"] {
                let detail = try API.expectError(try await api.send(.get, path, token: token), .notFound, "no_route")
                #expect(detail.messageZh == "没有该接口")
            }
            // The served method still works.
            #expect(try await api.send(.get, "/v1/me", token: token).status == .ok)
        }
    }
}
