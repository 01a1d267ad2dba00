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
    /// Best effort: the number of entries stored, or nil when the server gave none (an older server,
    /// no network, an account without an organisation).
    @discardableResult
    static func refresh(store: Store, api: APIClient, now: Date) async -> Int? {
        guard let response = try? await api.licences(), !response.licences.isEmpty else { return nil }
        do {
            try store.write { db in
                for info in response.licences { try LicenceCache.save(db, info, at: now) }
            }
        } catch {
            return nil
        }
        return response.licences.count
    }
}
