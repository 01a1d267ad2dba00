import Foundation

/// Remembers recently authenticated tokens for a moment, so a busy client's requests do not each cost a
/// database read. Entries live at most `lifetime` seconds and never past the token's own expiry;
/// logout, password change and reset drop the user's entries at once in this process. (Other server
/// instances on a shared database would see a revocation after at most `lifetime` seconds.)
actor TokenCache {
    private struct Entry {
        var user: AuthenticatedUser
        var validUntil: Date
    }

    private var entries: [[UInt8]: Entry] = [:]
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 2) {
        self.lifetime = lifetime
    }

    func user(_ hash: [UInt8], now: Date) -> AuthenticatedUser? {
        guard let entry = entries[hash] else { return nil }
        guard now < entry.validUntil else {
            entries[hash] = nil
            return nil
        }
        return entry.user
    }

    func remember(_ user: AuthenticatedUser, now: Date, expiresAt: Date) {
        if entries.count > 10_000 { entries.removeAll() }
        entries[user.tokenHash] = Entry(user: user, validUntil: min(expiresAt, now.addingTimeInterval(lifetime)))
    }

    func forget(userId: String) {
        entries = entries.filter { $0.value.user.info.id != userId }
    }
}
