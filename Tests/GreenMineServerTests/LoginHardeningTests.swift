import Foundation
import GreenMineShared
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GreenMineServer

/// Issue 11, logins: one spelling per name, the limit counted before the hash, hashes at today's
/// cost, and the bearer scheme in any case.
struct LoginHardeningTests {
    private func guess(_ api: API, _ name: String, _ password: String = "bad-guess1") async throws -> TestResponse {
        try await api.send(.post, "/v1/auth/login", json: LoginRequest(username: name, password: password))
    }

    @Test func namesWithControlCharactersAreRefusedAndOtherSpellingsCountAsOne() async throws {
        let harness = try await Harness()
        let password = try #require(harness.passwords["demo-ent1"])
        try await harness.withAPI { api in
            // A NUL, a line break or a tab inside the name: refused, never looked up or counted apart.
            // A line break at the end is refused too, not trimmed (LF, CR, NEL, U+2028).
            for name in ["demo-ent1\u{0}zz", "demo-ent1\nx", "demo\tent1", "", String(repeating: "a", count: 65),
                         "demo-ent1\n", "demo-ent1\r", "demo-ent1\u{85}", "demo-ent1\u{2028}", "\ndemo-ent1"] {
                try API.expectError(try await guess(api, name, password), .badRequest, "bad_username")
            }
            // Spaces around the name are the same account, for logging in and for counting failures.
            _ = try await api.login("  demo-ent1 ", password)
            for name in ["demo-ent1 ", " demo-ent1", "DEMO-ENT1", "demo-ent1", "\u{3000}demo-ent1"] {
                try API.expectError(try await guess(api, name), .unauthorized, "invalid_credentials")
            }
            try API.expectError(try await guess(api, "demo-ent1", password), .tooManyRequests, "too_many_attempts")
        }
    }

    @Test func aDecomposedNameIsTheComposedOne() throws {
        // "é" as e + combining acute (NFD) and as one scalar (NFC): one name.
        let decomposed = "jose\u{301}"
        #expect(try AuthService.normalizedUsername(decomposed) == "jos\u{E9}")
        #expect(try AuthService.normalizedUsername(" jos\u{E9} ") == "jos\u{E9}")
    }

    @Test func concurrentGuessesNeverPassTheLimit() async throws {
        let harness = try await Harness()
        try await harness.withAPI { api in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await guess(api, "demo-ent2").status }
                }
                var all: [HTTPResponse.Status] = []
                for try await status in group { all.append(status) }
                return all
            }
            // At most the limit (5) was evaluated; every other attempt was refused before hashing.
            #expect(statuses.filter { $0 == .unauthorized }.count <= 5)
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 25)
            #expect(statuses.count == 30)
        }
    }

    @Test func aHashOfOlderParametersIsUpgradedAtTheNextLogin() async throws {
        let harness = try await Harness()
        let password = try #require(harness.passwords["demo-city"])
        let before = try #require(try await harness.services.accounts.credentials(username: "demo-city"))
        #expect(before.1.kdf == PasswordHasher.fastForTests.kdf)
        // The server now hashes with p = 3.
        let stronger = PasswordHasher(rounds: 1 << 4, blockSize: 8, parallelism: 3)
        let auth = AuthService(accounts: harness.services.accounts, hasher: stronger, throttle: LoginThrottle(),
                               environment: harness.services.environment, tokenLifetime: 3600)
        let first = try await auth.login(username: "demo-city", password: password, address: "127.0.0.1")
        let after = try #require(try await harness.services.accounts.credentials(username: "demo-city"))
        #expect(after.1.kdf == stronger.kdf)
        #expect(after.1.hash != before.1.hash)
        // The session of that login still works, and the password still opens the account.
        #expect(try await auth.authenticate(token: first.token).info.username == "demo-city")
        _ = try await auth.login(username: "demo-city", password: password, address: "127.0.0.1")
        await #expect(throws: ServiceError.self) {
            _ = try await auth.login(username: "demo-city", password: "wrong-pass1", address: "127.0.0.1")
        }
    }

    /// The standard meets OWASP's minimum for scrypt, and a hash made under the old standard
    /// (N = 2^15, r = 8, p = 1) is replaced by one of the standard at the next login.
    @Test func theStandardMeetsOWASPAndOldHashesAreUpgraded() async throws {
        let standard = PasswordHasher.standard
        #expect(PasswordHasher.owaspMinimums.contains {
            $0.rounds == standard.rounds && $0.blockSize == standard.blockSize && $0.parallelism == standard.parallelism
        })
        #expect(standard.rounds * standard.parallelism >= (1 << 13) * 10)
        #expect(standard.kdf == "scrypt$16384$8$5")

        let harness = try await Harness()
        let old = PasswordHasher(rounds: 1 << 15, blockSize: 8, parallelism: 1)
        let hash = try await old.hash("Old-standard-2025", salt: Array(repeating: 3, count: 16))
        _ = try await harness.services.accounts.addUser(
            id: "0B1C2D3E-0000-4000-8000-00000000000B", NewUser(username: "old-hash", role: .county, region: "130102"),
            password: hash, at: Harness.start)
        let auth = AuthService(accounts: harness.services.accounts, hasher: standard, throttle: LoginThrottle(),
                               environment: harness.services.environment, tokenLifetime: 3600)
        _ = try await auth.login(username: "old-hash", password: "Old-standard-2025", address: "127.0.0.1")
        let after = try #require(try await harness.services.accounts.credentials(username: "old-hash"))
        #expect(after.1.kdf == "scrypt$16384$8$5")
        #expect(try await standard.verify("Old-standard-2025", against: after.1))
    }

    /// A token is enough to reach the password change, so its check of the current password counts
    /// against the account like a login: the sixth wrong guess is refused before hashing.
    @Test func wrongCurrentPasswordsAreThrottledLikeLogins() async throws {
        let harness = try await Harness()
        let token = try await harness.token("demo-ent2")
        let password = try #require(harness.passwords["demo-ent2"])
        try await harness.withAPI { api in
            for attempt in 1...6 {
                let response = try await api.send(.post, "/v1/auth/password", token: token, json: PasswordChangeRequest(
                    currentPassword: "wrong-guess\(attempt)", newPassword: "New-password-2026"))
                if attempt <= 5 {
                    try API.expectError(response, .unauthorized, "invalid_credentials")
                } else {
                    try API.expectError(response, .tooManyRequests, "too_many_attempts")
                }
            }
            // The right password is held back too until the window passes; then it works.
            try API.expectError(try await api.send(.post, "/v1/auth/password", token: token, json: PasswordChangeRequest(
                currentPassword: password, newPassword: "New-password-2026")), .tooManyRequests, "too_many_attempts")
            harness.clock.advance(by: 16 * 60)
            let changed = try await api.send(.post, "/v1/auth/password", token: token, json: PasswordChangeRequest(
                currentPassword: password, newPassword: "New-password-2026"))
            #expect(changed.status == .ok)
        }
    }

    @Test func theBearerSchemeIsCaseInsensitive() async throws {
        let harness = try await Harness()
        let password = try #require(harness.passwords["demo-ent1"])
        try await harness.withAPI { api in
            let login = try await api.login("demo-ent1", password)
            for scheme in ["bearer", "BEARER", "Bearer", "bEaReR"] {
                var headers = API.headers(nil)
                headers[.authorization] = "\(scheme) \(login.token)"
                #expect(try await api.send(.get, "/v1/me", headers: headers).status == .ok, "\(scheme)")
            }
            var wrong = API.headers(nil)
            wrong[.authorization] = "Bearerx \(login.token)"
            try API.expectError(try await api.send(.get, "/v1/me", headers: wrong), .unauthorized, "unauthorized")
        }
    }
}
