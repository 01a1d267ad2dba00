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
