import Foundation
import GreenMineShared

/// Whose passwords an actor may reset (DOMAIN.md): the one rule that `AdminService.resetPassword` checks
/// and that the console's accounts list is queried by, so the list shows exactly the accounts a reset
/// would be allowed for.
public enum ResetScope: Sendable, Hashable {
    /// Nobody's (county, city, assessor, enterprise; a province without a region).
    case nobody
    /// Every account (the ministry).
    case everyone
    /// The enterprise accounts whose organisation lies in this province (a province reviewer).
    case enterprisesIn(province: String)

    /// The scope of an actor.
    public static func of(_ actor: AuthenticatedUser) -> ResetScope {
        switch actor.info.role {
        case .ministry: return .everyone
        case .province: return actor.info.region.map { .enterprisesIn(province: $0) } ?? .nobody
        case .enterprise, .county, .city, .assessor: return .nobody
        }
    }

    /// Whether an account of this role, whose organisation lies in `orgRegion`, is inside the scope.
    public func allows(role: Role, orgRegion: String?, regions: RegionTable) -> Bool {
        switch self {
        case .nobody: return false
        case .everyone: return true
        case .enterprisesIn(let province):
            guard role == .enterprise, let orgRegion else { return false }
            return regions.contains(province, orgRegion)
        }
    }

    /// The division codes an organisation may lie in to be inside the scope (the province and every
    /// division under it along the parent chain); nil when any region will do or none is asked for.
    func organisationRegions(_ regions: RegionTable) -> [String]? {
        guard case .enterprisesIn(let province) = self else { return nil }
        return regions.all.map(\.code).filter { regions.contains(province, $0) }
    }
}
