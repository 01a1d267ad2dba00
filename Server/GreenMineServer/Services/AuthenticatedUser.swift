import Foundation
import GreenMineShared

/// The user a request acts for, as found by its token.
public struct AuthenticatedUser: Sendable, Hashable {
    /// The account.
    public var info: UserInfo
    /// The division code of an enterprise user's organisation (for notices).
    public var orgRegion: String?
    /// SHA-256 of the bearer token that authenticated the request.
    public var tokenHash: [UInt8]

    public init(info: UserInfo, orgRegion: String?, tokenHash: [UInt8]) {
        self.info = info
        self.orgRegion = orgRegion
        self.tokenHash = tokenHash
    }

    /// The workflow actor.
    public var actor: Actor { info.actor }
}
