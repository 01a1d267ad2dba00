import Crypto
import Foundation
import GreenMineShared
import NIOCore
import Testing
@testable import GreenMineServer

/// Two server instances on one database and one blob folder (issue 13): an upload whose PATCHes land
/// on one instance, then the other, then the first again completes with the right SHA-256 — the
/// first instance's saved running hash is not used once the other has appended since.
struct SharedUploadTests {
    /// Two instances' services on one SQLite file and one blob folder, and demo-ent1 on each.
    struct TwoInstances {
        let directory: URL
        let blobs: BlobDirectory
        let first: AppServices
        let second: AppServices
        let userOnFirst: AuthenticatedUser
        let userOnSecond: AuthenticatedUser

        init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("shared-upload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("db.sqlite").path
            blobs = BlobDirectory(root: directory.appendingPathComponent("blobs").path)
            first = try await AppServices(storage: .sqlite(try ServerDatabase.open(path: path)), hasher: .fastForTests,
                                          blobs: blobs)
            let accounts = try await DemoData.seed(AdminService(services: first), services: first)
            second = try await AppServices(storage: .sqlite(try ServerDatabase.open(path: path)), hasher: .fastForTests,
                                           blobs: blobs)
            let password = try #require(accounts.first { $0.username == "demo-ent1" }?.password)
            let token = try await first.auth.login(username: "demo-ent1", password: password, address: "test").token
            userOnFirst = try await first.auth.authenticate(token: token)
            userOnSecond = try await second.auth.authenticate(token: token)
        }

        var path: String { directory.appendingPathComponent("db.sqlite").path }
    }

    @Test func patchesAlternatingBetweenInstancesKeepTheHashRight() async throws {
        let instances = try await TwoInstances()
        defer { try? FileManager.default.removeItem(at: instances.directory) }
        let (first, second, blobs) = (instances.first, instances.second, instances.blobs)
        let (userOnFirst, userOnSecond) = (instances.userOnFirst, instances.userOnSecond)
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

    @Test func aPatchInFlightOnOneInstanceMakesTheOtherWaitAndALapsedHoldIsTakenOver() async throws {
        let instances = try await TwoInstances()
        defer { try? FileManager.default.removeItem(at: instances.directory) }
        let file = UploadTests.jpeg(size: 200_000)
        let upload = try await instances.first.uploads.create(user: instances.userOnFirst, length: Int64(file.count),
                                                              metadata: ["sha256": UploadTests.sha256(file)])
        // A PATCH on the first instance whose body is still arriving.
        let (body, more) = AsyncStream.makeStream(of: ByteBuffer.self)
        more.yield(ByteBuffer(bytes: file[0..<50_000]))
        let inFlight = Task {
            try await instances.first.uploads.append(upload.id, user: instances.userOnFirst, offset: 0, checksum: nil,
                                                     body: body)
        }
        let database = try ServerDatabase.open(path: instances.path)
        for _ in 0..<200 {
            let held = try await database.read { db in
                try String.fetchOne(db, sql: "SELECT writer FROM uploads WHERE id = ?", arguments: [upload.id.uuidString])
            }
            if held != nil { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        // Meanwhile a PATCH of the same upload on the second instance is told the upload is busy.
        await #expect(throws: ServiceError.self) {
            do {
                _ = try await instances.second.uploads.append(upload.id, user: instances.userOnSecond, offset: 0,
                                                              checksum: nil, body: [ByteBuffer(bytes: file[0..<10])].async)
            } catch let error as ServiceError {
                #expect(error.detail.code == "upload_busy")
                throw error
            }
        }
        more.finish()
        #expect(try await inFlight.value.offset == 50_000)
        // An instance that died mid-PATCH leaves its hold; once it lapsed, the other takes over.
        let now = Date()
        #expect(try await SQLiteUploadStore(writer: database).claimWriter(upload.id, owner: UUID(), until: now, now: now))
        let resumed = try await instances.second.uploads.append(upload.id, user: instances.userOnSecond, offset: 50_000,
                                                                checksum: nil, body: [ByteBuffer(bytes: file[50_000...])].async)
        #expect(resumed.completedSHA256 == UploadTests.sha256(file))
    }
}
