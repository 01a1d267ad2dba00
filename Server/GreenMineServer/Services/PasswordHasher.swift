import Crypto
import _CryptoExtras
import Dispatch
import Foundation

/// A stored password: the KDF and its parameters, the salt and the derived key.
public struct PasswordHash: Sendable, Hashable {
    /// `scrypt$N$r$p`, stored beside the hash so parameters can change without breaking old hashes.
    public var kdf: String
    public var salt: [UInt8]
    public var hash: [UInt8]
}

/// Derives and verifies password hashes with scrypt, on a dispatch queue off the event loops.
public struct PasswordHasher: Sendable {
    /// scrypt cost N (a power of two).
    public var rounds: Int
    /// scrypt block size r.
    public var blockSize: Int
    /// scrypt parallelism p.
    public var parallelism: Int

    /// N = 2^14, r = 8, p = 5: one of OWASP's equal-cost scrypt settings (the Password Storage Cheat
    /// Sheet lists N = 2^17/p = 1, 2^16/p = 2, 2^15/p = 3, 2^14/p = 5, 2^13/p = 10, all with r = 8). It takes
    /// 16 MiB per hash, which keeps a login's memory well inside the server's 64 MB budget, and the least
    /// CPU of the five. Hashes stored with other parameters are upgraded at the next successful login.
    public static let standard = PasswordHasher(rounds: 1 << 14, blockSize: 8, parallelism: 5)
    /// OWASP's minimum scrypt settings (N, r, p), each of equal strength.
    public static let owaspMinimums: [(rounds: Int, blockSize: Int, parallelism: Int)] = [
        (1 << 17, 8, 1), (1 << 16, 8, 2), (1 << 15, 8, 3), (1 << 14, 8, 5), (1 << 13, 8, 10),
    ]
    /// A cheap setting for tests only.
    public static let fastForTests = PasswordHasher(rounds: 1 << 4, blockSize: 8, parallelism: 1)

    public init(rounds: Int, blockSize: Int, parallelism: Int) {
        self.rounds = rounds
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    private static let queue = DispatchQueue(label: "greenmine.kdf", attributes: .concurrent)
    /// Two hashes at a time at most (issue 15): with the standard setting 2 × 16 MiB, and on a two-core
    /// machine the event loops keep a core while logins queue.
    static let slots = HashSlots(limit: 2)

    /// The parameters as stored beside each hash: `scrypt$N$r$p`.
    public var kdf: String { "scrypt$\(rounds)$\(blockSize)$\(parallelism)" }

    /// Hashes a new password with a fresh salt.
    public func hash(_ password: String, salt: [UInt8]) async throws -> PasswordHash {
        let key = try await Self.derive(password, salt: salt, kdf: kdf)
        return PasswordHash(kdf: kdf, salt: salt, hash: key)
    }

    /// True when the password matches the stored hash (compared in constant time).
    public func verify(_ password: String, against stored: PasswordHash) async throws -> Bool {
        let key = try await Self.derive(password, salt: stored.salt, kdf: stored.kdf)
        guard key.count == stored.hash.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(key, stored.hash) { difference |= a ^ b }
        return difference == 0
    }

    private static func derive(_ password: String, salt: [UInt8], kdf: String) async throws -> [UInt8] {
        let parts = kdf.split(separator: "$")
        guard parts.count == 4, parts[0] == "scrypt", let n = Int(parts[1]), let r = Int(parts[2]),
              let p = Int(parts[3]) else {
            throw ServiceError(.unavailable, code: "kdf_unknown", en: "unknown password hash format",
                               zh: "未知的密码散列格式")
        }
        return try await slots.run {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    do {
                        let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 32,
                                                           rounds: n, blockSize: r, parallelism: p)
                        continuation.resume(returning: key.withUnsafeBytes { Array($0) })
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }
    }
}
