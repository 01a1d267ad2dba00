import Foundation
import GreenMineShared
import Testing
@testable import GreenMineServer

/// `UploadStore` on each backend (`TestBackend.available`): an upload's life from creation to blob.
struct UploadStoreTests {
    static func open(_ backend: TestBackend) async throws
        -> (uploads: any UploadStore, accounts: any AccountStore, close: @Sendable () async -> Void) {
        let opened = try await backend.open()
        let uploads = opened.stores(sqlite: { SQLiteUploadStore(writer: $0) as any UploadStore },
                                    postgres: { PostgresUploadStore(database: $0) })
        let accounts = opened.stores(sqlite: { SQLiteAccountStore(writer: $0) as any AccountStore },
                                     postgres: { PostgresAccountStore(database: $0) })
        return (try #require(uploads.first), try #require(accounts.first), opened.close)
    }

    @Test(arguments: TestBackend.available)
    func anUploadBecomesABlobItsOwnerMayRead(_ backend: TestBackend) async throws {
        let (uploads, accounts, close) = try await Self.open(backend)
        let start = Date(timeIntervalSince1970: 1_796_113_800)
        let hash = PasswordHash(kdf: "none", salt: [1], hash: [2])
        let owner = try await accounts.addUser(id: "u1", NewUser(username: "prov", role: .province, region: "130000"),
                                               password: hash, at: start)
        let other = try await accounts.addUser(id: "u2", NewUser(username: "other", role: .province, region: "410000"),
                                               password: hash, at: start)
        let sha = String(repeating: "c", count: 64)
        let upload = UploadRecord(id: UUID(), userId: owner.id, length: 100, offset: 0, sha256: sha, filename: "照片.jpg",
                                  filetype: "image/jpeg", createdAt: start, expiresAt: start + 3600)
        try await uploads.create(upload)
        #expect(try await uploads.upload(upload.id, userId: other.id) == nil)
        try await uploads.setOffset(upload.id, offset: 60, expiresAt: start + 7200)
        #expect(try await uploads.upload(upload.id, userId: owner.id)?.offset == 60)
        #expect(try await uploads.activeCount(userId: owner.id, now: start) == 1)
        #expect(try await !uploads.isKnownBlob(sha))
        try await uploads.complete(upload, mime: "image/jpeg", at: start + 10)
        let done = try #require(try await uploads.upload(upload.id, userId: owner.id))
        #expect(done.isComplete && done.offset == 100 && done.completedAt == start + 10)
        #expect(try await uploads.activeCount(userId: owner.id, now: start) == 0)
        #expect(try await uploads.isKnownBlob(sha))
        let me = AuthenticatedUser(info: owner, orgRegion: nil, tokenHash: [])
        let them = AuthenticatedUser(info: other, orgRegion: nil, tokenHash: [])
        #expect(try await uploads.readableBlob(sha, user: me) == BlobInfo(sha256: sha, size: 100, mime: "image/jpeg"))
        #expect(try await uploads.readableBlob(sha, user: them) == nil)
        #expect(try await uploads.expired(now: start + 3600).map(\.id) == [upload.id])
        try await uploads.remove(upload.id)
        #expect(try await uploads.upload(upload.id, userId: owner.id) == nil)
        await close()
    }

    /// The write claim instances share: a second holder is refused while the first renews it, takes it
    /// once it is given back, and takes it from a holder that stopped renewing (a dead instance) once it lapses.
    @Test(arguments: TestBackend.available)
    func oneWriterAtATimeAndAClaimLapsesWithoutItsHeartbeat(_ backend: TestBackend) async throws {
        let (uploads, accounts, close) = try await Self.open(backend)
        let start = Date(timeIntervalSince1970: 1_796_113_800)
        let owner = try await accounts.addUser(id: "u1", NewUser(username: "prov", role: .province, region: "130000"),
                                               password: PasswordHash(kdf: "none", salt: [1], hash: [2]), at: start)
        let upload = UploadRecord(id: UUID(), userId: owner.id, length: 100, offset: 0,
                                  sha256: String(repeating: "c", count: 64), filename: "a.jpg", filetype: "image/jpeg",
                                  createdAt: start, expiresAt: start + 3600)
        try await uploads.create(upload)
        #expect(try await uploads.claimWrite(upload.id, holder: "A", now: start, until: start + 20))
        #expect(try await !uploads.claimWrite(upload.id, holder: "B", now: start + 5, until: start + 25))
        #expect(try await uploads.renewWrite(upload.id, holder: "A", until: start + 30))
        #expect(try await !uploads.renewWrite(upload.id, holder: "B", until: start + 30))
        #expect(try await !uploads.claimWrite(upload.id, holder: "B", now: start + 25, until: start + 45))
        try await uploads.releaseWrite(upload.id, holder: "B")
        #expect(try await !uploads.claimWrite(upload.id, holder: "B", now: start + 26, until: start + 46), "B gave back nothing")
        try await uploads.releaseWrite(upload.id, holder: "A")
        #expect(try await uploads.claimWrite(upload.id, holder: "B", now: start + 27, until: start + 47))
        // B stops renewing (its instance died): C waits until B's claim has lapsed.
        #expect(try await !uploads.claimWrite(upload.id, holder: "C", now: start + 46, until: start + 66))
        #expect(try await uploads.claimWrite(upload.id, holder: "C", now: start + 48, until: start + 68))
        #expect(try await !uploads.renewWrite(upload.id, holder: "B", until: start + 70))
        await close()
    }
}
