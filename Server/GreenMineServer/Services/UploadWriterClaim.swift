import Foundation

/// One PATCH's hold on its upload in the store every instance shares (issue 13): taken before the first
/// byte is written, renewed while bytes keep coming, let go at the end. A PATCH of the same upload on
/// any instance meanwhile is `upload_busy`; a hold whose instance died lapses after `lease`.
struct UploadWriterClaim: Sendable {
    /// How long a hold lasts without renewal: far past the two minutes after which a stalled
    /// connection is closed, so a live PATCH never loses it.
    static let lease: TimeInterval = 300
    /// How often a running PATCH renews it.
    static let renewEvery: TimeInterval = 60

    let upload: UUID
    let owner: UUID
    let store: any UploadStore
    let environment: ServerEnvironment
    private var renewAt = Date.distantPast

    init(upload: UUID, store: any UploadStore, environment: ServerEnvironment) {
        self.upload = upload
        self.owner = environment.newId()
        self.store = store
        self.environment = environment
    }

    /// Takes (or renews) the hold; false when another writer holds it.
    mutating func take() async throws -> Bool {
        let now = environment.now()
        guard try await store.claimWriter(upload, owner: owner, until: now.addingTimeInterval(Self.lease), now: now) else {
            return false
        }
        renewAt = now.addingTimeInterval(Self.renewEvery)
        return true
    }

    /// Renews the hold when due; throws `upload_busy` if it was lost (it lapsed and another took it).
    mutating func renewIfDue() async throws {
        guard environment.now() >= renewAt else { return }
        guard try await take() else { throw UploadService.busy }
    }

    /// Lets the upload go. The write runs apart from the calling task, so that a handler cancelled
    /// because its peer hung up still lets it go.
    func release() async {
        let (store, upload, owner) = (store, upload, owner)
        _ = try? await Task { try await store.releaseWriter(upload, owner: owner) }.value
    }
}
