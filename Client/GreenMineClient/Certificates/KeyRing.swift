import Foundation
import GreenMineShared

/// Fetches the server's certificate verification keys into the store, at login and at each sync,
/// so that `cert verify` works offline afterwards.
enum KeyRing {
    /// Best effort: the number of keys stored, or nil when the server did not give any (an older
    /// server, no network). Keys that are not 32-byte Ed25519 keys are ignored.
    @discardableResult
    static func refresh(store: Store, api: APIClient, now: Date) async -> Int? {
        let usable = await fetch(api: api)
        guard !usable.isEmpty else { return nil }
        do {
            try store.write { db in
                let server = try SyncState.load(db).serverURL
                try VerificationKeyStore.save(db, usable, server: server, at: now)
            }
        } catch {
            return nil
        }
        return usable.count
    }

    /// The server's usable keys; none when it gives none (best effort, never throws).
    static func fetch(api: APIClient) async -> [VerificationKey] {
        guard let response = try? await api.keys() else { return [] }
        return response.keys.filter { CertificateVerifier.publicKey($0) != nil }
    }
}
