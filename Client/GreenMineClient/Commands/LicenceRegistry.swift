import Foundation
import GreenMineShared

/// Looks a licence number up: the server's registry when it answers quickly, else the local cache.
enum LicenceRegistry {
    static func lookup(_ number: String, context: CommandContext, store: Store, session: Session) async throws -> LicenceLookup {
        if session.token != nil, let api = try? context.api(session, timeout: context.environment.lookupTimeout) {
            do {
                return .online(try await api.licence(number))
            } catch let error as APIError {
                if error.code == "licence_unknown" { return .unknown }
                if error.code == "unauthorized" || error.code == "password_change_required" { throw error }
                // Unreachable, slow or failing: fall back to what this device knows.
            }
        }
        if let cached = try store.read({ try LicenceCache.find($0, number: number) }) {
            return .cached(cached)
        }
        return .unavailable
    }
}

/// Keeps this device's copy of the organisation's own registry entries, at login and at each sync,
/// so that `pre new --license` typed at the mine, offline, still fills the mine from the registry.
enum LicencePrefetch {
    /// Best effort (no network, an older server: nothing changes). Stores the organisation's entries
    /// and forgets cached entries of the organisation the registry no longer has; returns how many it
    /// holds now, or nil when the server gave no answer or the account has no organisation.
    @discardableResult
    static func refresh(store: Store, api: APIClient, now: Date) async -> Int? {
        guard let response = try? await api.licences() else { return nil }
        do {
            return try store.write { db -> Int? in
                guard let org = try SyncState.load(db).user?.orgId else { return nil }
                let current = Set(response.licences.map(\.number))
                for info in response.licences { try LicenceCache.save(db, info, at: now) }
                for cached in try LicenceCache.all(db) where cached.creditCode == org && !current.contains(cached.number) {
                    try LicenceCache.remove(db, number: cached.number)
                }
                return response.licences.count
            }
        } catch {
            return nil
        }
    }
}
