import Crypto
import Foundation

/// The running SHA-256 of each upload, and which uploads have a PATCH in flight.
/// After a restart the state is rebuilt from the bytes on disk.
actor UploadHashes {
    private var hashers: [UUID: SavedHash] = [:]
    private var busy: Set<UUID> = []
    private var inFlightByUser: [String: Int] = [:]

    enum Claim {
        case claimed(SavedHash?)
        case busy
        case tooMany
    }

    /// Marks an upload as being appended to; refuses a second writer and too many per user.
    func claim(_ id: UUID, user: String, limit: Int) -> Claim {
        if busy.contains(id) { return .busy }
        if inFlightByUser[user, default: 0] >= limit { return .tooMany }
        busy.insert(id)
        inFlightByUser[user, default: 0] += 1
        return .claimed(hashers[id])
    }

    /// Ends an append, keeping the hasher state when given.
    func release(_ id: UUID, user: String, hasher: SavedHash?) {
        busy.remove(id)
        inFlightByUser[user, default: 1] -= 1
        if let hasher { hashers[id] = hasher }
    }

    /// Forgets an upload.
    func forget(_ id: UUID) {
        hashers[id] = nil
    }
}

/// The running SHA-256 of an upload's first `offset` bytes. Used only while the upload's stored offset
/// is still `offset`: another instance sharing the store may have appended since (then the file is
/// hashed again from the blob store).
struct SavedHash: Sendable {
    var sha256: SHA256
    var offset: Int64
}
