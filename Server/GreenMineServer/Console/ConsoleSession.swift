import Crypto
import Foundation
import GreenMineShared

/// A signed-in console user: the API user behind the session cookie, and its token (for the CSRF token).
struct ConsoleSession: Sendable {
    let user: AuthenticatedUser
    let token: String

    /// The CSRF token of this session's forms: HMAC-SHA256 of a fixed label under the session token. It
    /// cannot be computed without the token (HttpOnly), and the token cannot be recovered from it.
    var csrf: String {
        Self.csrf(for: token)
    }

    static func csrf(for token: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("greenmine-console-csrf".utf8),
                                                   using: SymmetricKey(data: Array(token.utf8)))
        return Data(code).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether a submitted CSRF token is this session's (compared in constant time).
    func accepts(_ submitted: String?) -> Bool {
        Self.constantTimeEqual(submitted ?? "", csrf)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// The client id under which this session pushes (one per session, derived from the token's hash,
    /// so the server's seq bookkeeping applies to console actions as to any client's).
    var clientId: UUID {
        var bytes = Array(SHA256.hash(data: Array("greenmine-console-client".utf8) + user.tokenHash).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
