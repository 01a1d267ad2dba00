import Crypto
import GRDB
import Foundation
import GreenMineShared
import NIOCore
import Testing
@testable import GreenMineServer

/// Two server instances on one database and one blob folder (issue 13): an upload whose PATCHes land
/// on one instance, then the other, then the first again completes with the right SHA-256 — the
/// first instance's saved running hash is not used once the other has appended since.
struct SharedUploadTests {
    /// Two instances on one SQLite file and blob folder in a new folder, seeded with the demo data, and
    /// demo-ent1 signed in on both.
    static func twoInstances() async throws
        -> (URL, AppServices, AppServices, AuthenticatedUser, AuthenticatedUser) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shared-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("db.sqlite").path
        let blobs = BlobDirectory(dataDirectory: directory)
        let first = try await AppServices(storage: .sqlite(try ServerDatabase.open(path: path)), hasher: .fastForTests,
                                          blobs: blobs)
        let accounts = try await DemoData.seed(AdminService(services: first), services: first)
        let second = try await AppServices(storage: .sqlite(try ServerDatabase.open(path: path)), hasher: .fastForTests,
                                           blobs: blobs)
        let password = try #require(accounts.first { $0.username == "demo-ent1" }?.password)
        let token = try await first.auth.login(username: "demo-ent1", password: password, address: "test").token
        return (directory, first, second, try await first.auth.authenticate(token: token),
                try await second.auth.authenticate(token: token))
    }

    @Test func patchesAlternatingBetweenInstancesKeepTheHashRight() async throws {
        let (directory, first, second, userOnFirst, userOnSecond) = try await Self.twoInstances()
        defer { try? FileManager.default.removeItem(at: directory) }
        let blobs = BlobDirectory(dataDirectory: directory)

        let file = UploadTests.jpeg(size: 300_000)
        let hash = UploadTests.sha256(file)
        let upload = try await first.uploads.create(user: userOnFirst, length: Int64(file.count),
                                                    metadata: ["sha256": hash, "filename": "a.jpg"])
        func patch(_ services: AppServices, _ user: AuthenticatedUser, _ range: Range<Int>) async throws -> AppendResult {
            try await services.uploads.append(upload.id, user: user, offset: Int64(range.lowerBound), checksum: nil,
                                              body: [ByteBuffer(bytes: file[range])].async)
        }
        #expect(try await patch(first, userOnFirst, 0..<100_000).offset == 100_000)
        #expect(try await patch(second, userOnSecond, 100_000..<200_000).offset == 200_000)
        let last = try await patch(first, userOnFirst, 200_000..<300_000)
        #expect(last.completedSHA256 == hash)
        #expect(try Data(contentsOf: URL(fileURLWithPath: blobs.blobPath(hash))) == Data(file))
        #expect(try await second.uploads.readableBlob(hash, user: userOnSecond) != nil)
    }

    /// A PATCH still running on one instance holds the upload: the same upload PATCHed through the other
    /// instance meanwhile is refused with `upload_busy` (two writers would interleave bytes in the shared
    /// file), and is taken as soon as the first has ended.
    @Test func aPatchRunningOnOneInstanceHoldsTheUploadOnTheOther() async throws {
        let (directory, first, second, userOnFirst, userOnSecond) = try await Self.twoInstances()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        let file = UploadTests.jpeg(size: 200_000)
        let hash = UploadTests.sha256(file)
        let upload = try await first.uploads.create(user: userOnFirst, length: Int64(file.count),
                                                    metadata: ["sha256": hash, "filename": "a.jpg"])
        // The first instance's PATCH: its body arrives in two parts, the second only when let go.
        let (body, feed) = AsyncStream<ByteBuffer>.makeStream()
        feed.yield(ByteBuffer(bytes: file[0..<50_000]))
        let running = Task {
            try await first.uploads.append(upload.id, user: userOnFirst, offset: 0, checksum: nil, body: body)
        }
        // Wait until the first holds the upload (its claim is in the shared store before it reads a byte).
        let look = try ServerDatabase.open(path: path)
        for _ in 0..<500 {
            let writer = try await look.read { db in
                try String.fetchOne(db, sql: "SELECT writer FROM uploads WHERE id = ?", arguments: [upload.id.uuidString])
            }
            if writer != nil { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        await #expect(throws: ServiceError.self) {
            do {
                _ = try await second.uploads.append(upload.id, user: userOnSecond, offset: 0, checksum: nil,
                                                    body: [ByteBuffer(bytes: file[0..<10])].async)
            } catch let error as ServiceError {
                #expect(error.detail.code == "upload_busy")
                throw error
            }
        }
        feed.yield(ByteBuffer(bytes: file[50_000..<100_000]))
        feed.finish()
        #expect(try await running.value.offset == 100_000)
        let last = try await second.uploads.append(upload.id, user: userOnSecond, offset: 100_000, checksum: nil,
                                                   body: [ByteBuffer(bytes: file[100_000..<200_000])].async)
        #expect(last.completedSHA256 == hash)
    }

    /// The heartbeat keeps a stalled PATCH's claim past its lease (the other instance is still refused);
    /// and a PATCH whose claim lapsed (its heartbeat too slow: a stalled process) stops without touching
    /// the file once it notices, while the other instance's PATCH completes the upload with the right hash.
    @Test func theHeartbeatHoldsTheClaimAndALapsedWriterTouchesNothing() async throws {
        let (directory, first, second, userOnFirst, userOnSecond) = try await Self.twoInstances()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        let look = try ServerDatabase.open(path: path)
        func writer(_ id: UUID) async throws -> String? {
            try await look.read { db in
                try String.fetchOne(db, sql: "SELECT writer FROM uploads WHERE id = ?", arguments: [id.uuidString])
            }
        }
        let file = UploadTests.jpeg(size: 200_000)
        let hash = UploadTests.sha256(file)
        var beating = first.uploads
        // A lease long enough that a loaded test run never starves the heartbeat past it.
        beating.writeClaimLease = 2.5
        beating.writeClaimHeartbeat = .milliseconds(150)
        let upload = try await beating.create(user: userOnFirst, length: Int64(file.count),
                                              metadata: ["sha256": hash, "filename": "a.jpg"])
        // 1. A stalled PATCH with a working heartbeat: still holding it well past its lease.
        let (body, feed) = AsyncStream<ByteBuffer>.makeStream()
        feed.yield(ByteBuffer(bytes: file[0..<50_000]))
        let running = Task { try await beating.append(upload.id, user: userOnFirst, offset: 0, checksum: nil, body: body) }
        for _ in 0..<500 where try await writer(upload.id) == nil { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(4000))
        await #expect(throws: ServiceError.self) {
            _ = try await second.uploads.append(upload.id, user: userOnSecond, offset: 0, checksum: nil,
                                                body: [ByteBuffer(bytes: file[0..<10])].async)
        }
        feed.yield(ByteBuffer(bytes: file[50_000..<100_000]))
        feed.finish()
        #expect(try await running.value.offset == 100_000)

        // 2. A PATCH whose heartbeat comes too late: its claim lapses, the other instance takes the
        // upload and finishes it; the late one, given more bytes, stops with upload_busy.
        var late = first.uploads
        late.writeClaimLease = 0.3
        late.writeClaimHeartbeat = .seconds(30)
        let (lateBody, lateFeed) = AsyncStream<ByteBuffer>.makeStream()
        let lagging = Task {
            try await late.append(upload.id, user: userOnFirst, offset: 100_000, checksum: nil, body: lateBody)
        }
        for _ in 0..<500 where try await writer(upload.id) == nil { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(600))
        let done = try await second.uploads.append(upload.id, user: userOnSecond, offset: 100_000, checksum: nil,
                                                   body: [ByteBuffer(bytes: file[100_000..<200_000])].async)
        #expect(done.completedSHA256 == hash)
        // Its remaining bytes, all wrong: it checks its claim before it appends them to the file.
        lateFeed.yield(ByteBuffer(bytes: Array(repeating: 0xFF, count: 100_000)))
        lateFeed.finish()
        await #expect(throws: ServiceError.self) { _ = try await lagging.value }
        let blobs = BlobDirectory(dataDirectory: directory)
        #expect(try Data(contentsOf: URL(fileURLWithPath: blobs.blobPath(hash))) == Data(file))
    }
}
