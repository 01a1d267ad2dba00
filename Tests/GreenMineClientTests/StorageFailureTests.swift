import Foundation
import GRDB
import GreenMineShared
import Testing
@testable import GreenMineClient

/// A full disk and a read-only home: clear messages in both languages, no orphan blob after a
/// failed attach, and commands that only read still read.
///
/// How each condition is made (tests run as root in CI, and root ignores permission bits, so
/// `chmod -R a-w` proves nothing there):
/// - a full disk for the store: `PRAGMA max_page_count` on the command's read-write connection
///   (`StoreLimits.maxPageCount`); SQLite itself then refuses to grow the file with SQLITE_FULL,
///   exactly the error a full disk gives;
/// - a read-only home: `PRAGMA query_only` on the command's read-write connection
///   (`StoreLimits.queryOnly`); SQLite itself refuses every write with SQLITE_READONLY;
/// - when the process may mount file systems (root with CAP_SYS_ADMIN), the real thing too: a
///   tmpfs home remounted read-only (EROFS, no `-shm` can be made) and a small tmpfs filled up
///   (ENOSPC while copying an attachment); these are skipped where `mount` is not allowed.
struct StorageFailureTests {
    // MARK: - One mapping

    @Test(arguments: [
        (ResultCode.SQLITE_FULL, "disk_full"), (.SQLITE_READONLY, "home_read_only"), (.SQLITE_IOERR, "disk_error"),
        (ResultCode(rawValue: 778), "disk_error"), // SQLITE_IOERR_WRITE
        (.SQLITE_CORRUPT, "store_damaged"), (.SQLITE_NOTADB, "store_damaged"), (.SQLITE_CANTOPEN, "home_unreadable"),
        (.SQLITE_CONSTRAINT, "store_error"),
    ])
    func sqliteErrorsBecomeStableCodesWithoutSQL(code: ResultCode, expected: String) {
        let error = DatabaseError(resultCode: code, message: "database or disk is full", sql: "COMMIT TRANSACTION")
        let home = HomeDirectory(url: URL(fileURLWithPath: "/field/laptop/greenmine"))
        let failure = ErrorPresentation.clientError(error, home: home)
        #expect(failure.code == expected)
        #expect(failure.exitCode != 0)
        for text in [failure.message.zh, failure.message.en] + failure.details.flatMap({ [$0.zh, $0.en] }) {
            #expect(!text.contains("COMMIT"))
            #expect(!text.contains("SQLite error"))
            #expect(!text.contains("database or disk is full"))
        }
        #expect(failure.message.en.contains("/field/laptop/greenmine"))
        #expect(failure.message.zh.contains("/field/laptop/greenmine"))
    }

    @Test func fileSystemErrorsGetTheSameCodes() {
        let cases: [(any Error, String)] = [
            (POSIXError(.ENOSPC), "disk_full"), (POSIXError(.EDQUOT), "disk_full"),
            (NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS)), "home_read_only"),
            (NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES)), "home_read_only"),
            (CocoaError(.fileWriteOutOfSpace), "disk_full"), (CocoaError(.fileWriteVolumeReadOnly), "home_read_only"),
            (POSIXError(.EIO), "disk_error"),
        ]
        for (error, code) in cases {
            #expect(ErrorPresentation.clientError(error).code == code, "\(error)")
        }
        // Not about the disk: left to the other mappings.
        #expect(StorageFailure.from(POSIXError(.ENOENT), folder: nil) == nil)
        #expect(StorageFailure.from(ClientError.notLoggedIn, folder: nil) == nil)
        let full = StorageFailure(.diskFull, folder: "/h").clientError
        #expect(full.message.zh.contains("本机磁盘已满"))
        #expect(full.message.zh.contains("请清理空间后重试；已保存的内容不受影响"))
        #expect(full.message.en.contains("the disk is full"))
        #expect(full.message.en.contains("free some space and try again; nothing saved before was lost"))
    }

    // MARK: - A full disk (SQLite's page limit)

    @Test func aFullDiskRefusesTheAttachInBothLanguagesAndLeavesNoOrphanBlob() async throws {
        let home = await TestHome.loggedIn()
        let first = await home.newPre()
        let second = await home.newPre(licence: "C1301002009127130099999")
        // Content A is attached to the first record while there is room.
        let photoA = try home.files.jpeg("a.jpg", size: 200 * 1024, seed: 1)
        let shaA = try SampleFiles.sha256(photoA)
        #expect(await home.run(["pre", "attach", first, photoA.path]).status == 0)
        let blobsBefore = home.blobFiles()
        #expect(blobsBefore == ["\(shaA.prefix(2))/\(shaA)"])
        let outboxBefore = try home.outbox()

        // The disk fills: one page of room left, and the attach needs many (a long name is stored
        // in the queued change and in the working copy).
        home.storeLimits = StoreLimits(maxPageCount: try pageCount(home) + 1)
        let longName = String(repeating: "现场照片", count: 4000) + ".jpg"
        let photoB = try home.files.jpeg("b.jpg", size: 300 * 1024, seed: 2)
        let shaB = try SampleFiles.sha256(photoB)
        let en = await home.run(["pre", "attach", second, "--name", longName, photoB.path])
        #expect(en.status != 0)
        #expect(en.stderr.contains("the disk is full"), "\(en.stderr)")
        #expect(en.stderr.contains("free some space and try again; nothing saved before was lost"))
        #expect(en.stderr.contains(home.home.url.path))
        #expect(!en.stderr.contains("COMMIT"))
        #expect(!en.stderr.contains("SQLite error"))
        // The blob B this command copied is gone, no temporary copy is left, A is untouched.
        #expect(home.blobFiles() == blobsBefore)
        #expect(!home.blobFiles().contains { $0.contains(shaB) || $0.hasSuffix(".part") })
        #expect(try home.outbox() == outboxBefore)
        #expect(try home.local(second)?.working.attachments.isEmpty == true)

        home.language = "zh_CN.UTF-8"
        let zh = await home.run(["pre", "attach", second, "--name", longName, photoB.path])
        #expect(zh.status != 0)
        #expect(zh.stderr.contains("本机磁盘已满"), "\(zh.stderr)")
        #expect(zh.stderr.contains("请清理空间后重试；已保存的内容不受影响"))
        let json = await home.run(["pre", "attach", second, "--name", longName, photoB.path, "--json"])
        #expect(json.status != 0)
        #expect(json.stderr.contains("\"disk_full\""), "\(json.stderr)")

        // The same content as A, for the second record: A's blob was there before and is used by
        // the first record, so the failed attach leaves it in place.
        let copyOfA = try home.files.jpeg("a-again.jpg", size: 200 * 1024, seed: 1)
        let reuse = await home.run(["pre", "attach", second, "--name", longName, copyOfA.path])
        #expect(reuse.status != 0)
        #expect(reuse.stderr.contains("本机磁盘已满"))
        #expect(home.blobFiles() == blobsBefore)
        #expect(home.blobs.contains(shaA, size: 200 * 1024))

        // Reading still works on the full disk; once there is room the same attach goes through.
        home.language = "en_US.UTF-8"
        let status = await home.run(["status"])
        #expect(status.status == 0, "\(status.stderr)")
        home.storeLimits = StoreLimits()
        let later = await home.run(["pre", "attach", second, photoB.path])
        #expect(later.status == 0, "\(later.stderr)")
        #expect(home.blobs.contains(shaB, size: 300 * 1024))
    }

    @Test func aDiskFullWhenOpeningStillLetsStatusRead() async throws {
        let home = await TestHome.loggedIn()
        let pre = await home.newPre()
        // Not one page of room: even GRDB's WAL set-up write at open fails with SQLITE_FULL.
        try execute(home, "VACUUM")
        home.storeLimits = StoreLimits(maxPageCount: 1)
        let status = await home.run(["status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Account: alice"))
        let show = await home.run(["pre", "show", pre])
        #expect(show.status == 0, "\(show.stderr)")
        let set = await home.run(["pre", "set", pre, "basic.mineName=北山矿"])
        #expect(set.status != 0)
        #expect(set.stderr.contains("the disk is full"), "\(set.stderr)")
        let sync = await home.run(["sync"])
        #expect(sync.status != 0)
        #expect(sync.stderr.contains("the disk is full"), "\(sync.stderr)")
        #expect(!sync.stderr.contains("SQLite error"))
        #expect(!sync.stderr.contains("COMMIT"))
    }

    // MARK: - A read-only home (SQLite's query_only)

    @Test func aReadOnlyHomeStillShowsAndRefusesEditsClearly() async throws {
        let home = await TestHome.loggedIn()
        let (_, app) = await home.approvedApplication()
        let outboxBefore = try home.outbox()
        home.storeLimits = StoreLimits(queryOnly: true)

        let status = await home.run(["status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Account: alice"))
        let show = await home.run(["app", "show", app])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains(app.prefix(8)))
        let list = await home.run(["app", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains(app.prefix(8)))
        #expect(await home.run(["app", "check", app]).stderr.contains("read-only") == false)

        let editor = try home.script("editor.sh", "exit 0")
        home.extraVariables["EDITOR"] = editor
        let edit = await home.run(["app", "edit", app])
        #expect(edit.status != 0)
        #expect(edit.stderr.contains("is read-only, so nothing can be saved"), "\(edit.stderr)")
        #expect(edit.stderr.contains(home.home.url.path))
        let json = await home.run(["app", "edit", app, "--json"])
        #expect(json.stderr.contains("\"home_read_only\""), "\(json.stderr)")
        home.language = "zh_CN.UTF-8"
        let zh = await home.run(["app", "set", app, "basic.mineName=北山矿"])
        #expect(zh.status != 0)
        #expect(zh.stderr.contains("是只读的，无法保存修改"), "\(zh.stderr)")
        #expect(try home.outbox() == outboxBefore)
    }

    @Test func aReadOnlyHomeNeverMigratesAndSaysSo() async throws {
        let home = await TestHome.loggedIn()
        // A store from an older greenmine: a migration a reader needs not applied yet (v8 alone would
        // still be readable: StoredSnapshotTests).
        try execute(home, "DELETE FROM grdb_migrations WHERE identifier = 'v7-portal'")
        home.storeLimits = StoreLimits(queryOnly: true)
        let status = await home.run(["status", "--json"])
        #expect(status.status != 0)
        #expect(status.stderr.contains("\"store_needs_upgrade\""), "\(status.stderr)")
    }

    // MARK: - The real thing, where mounting is allowed

    @Test(.enabled(if: TmpfsMount.available, "needs permission to mount a tmpfs"))
    func aHomeOnAReadOnlyFileSystemReads() async throws {
        let home = TestHome(server: FakeServer())
        home.server.licences[Fixtures.licence] = Fixtures.licenceInfo
        let mount = try TmpfsMount(at: home.home.url, size: "16m")
        defer { mount.unmount(keeping: home) }
        #expect(await home.login().status == 0)
        let pre = await home.newPre()
        try mount.remountReadOnly()

        let status = await home.run(["status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Account: alice"))
        let show = await home.run(["pre", "show", pre])
        #expect(show.status == 0, "\(show.stderr)")
        let set = await home.run(["pre", "set", pre, "basic.mineName=北山矿"])
        #expect(set.status != 0)
        #expect(set.stderr.contains("is read-only"), "\(set.stderr)")
        let photo = try home.files.jpeg("p.jpg")
        let attach = await home.run(["pre", "attach", pre, photo.path])
        #expect(attach.stderr.contains("is read-only"), "\(attach.stderr)")
        #expect(home.blobFiles().isEmpty)
    }

    @Test(.enabled(if: TmpfsMount.available, "needs permission to mount a tmpfs"))
    func aHomeOnAFullFileSystemKeepsNoHalfCopy() async throws {
        let home = TestHome(server: FakeServer())
        home.server.licences[Fixtures.licence] = Fixtures.licenceInfo
        let mount = try TmpfsMount(at: home.home.url, size: "4m")
        defer { mount.unmount(keeping: home) }
        #expect(await home.login().status == 0)
        let pre = await home.newPre()
        // The file system is filled to the last byte, then 160 KiB are freed: room to open the
        // store, not to copy the photo.
        _ = try home.blobs.newTemporaryURL()
        try TmpfsMount.fill(home.home.url.appendingPathComponent("filler"), leaving: 160 * 1024)

        let photo = try home.files.jpeg("p.jpg", size: 1024 * 1024)
        let attach = await home.run(["pre", "attach", pre, photo.path])
        #expect(attach.status != 0)
        #expect(attach.stderr.contains("the disk is full"), "\(attach.stderr)")
        #expect(home.blobFiles().isEmpty, "\(home.blobFiles())")
        let status = await home.run(["status"])
        #expect(status.status == 0, "\(status.stderr)")
    }

    // MARK: - Helpers

    /// Runs SQL on the home's store outside any transaction, straight through GRDB.
    private func execute(_ home: TestHome, _ sql: String) throws {
        try home.store().queue.writeWithoutTransaction { try $0.execute(sql: sql) }
    }

    private func pageCount(_ home: TestHome) throws -> Int {
        try home.store().read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
    }
}

/// A tmpfs mounted for one test (root with CAP_SYS_ADMIN only), always unmounted by the test.
struct TmpfsMount {
    let point: URL

    /// True when this process may mount a tmpfs (tried once on a scratch folder).
    static let available: Bool = {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("greenmine-mount-probe-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        guard (try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)) != nil,
              run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", scratch.path]) == 0 else { return false }
        return run(["umount", scratch.path]) == 0
    }()

    init(at point: URL, size: String) throws {
        self.point = point
        try FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
        guard Self.run(["mount", "-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", point.path]) == 0 else {
            throw POSIXError(.EPERM)
        }
    }

    func remountReadOnly() throws {
        guard Self.run(["mount", "-o", "remount,ro", point.path]) == 0 else { throw POSIXError(.EPERM) }
    }

    /// Unmounts; `home` (whose end removes its folder) lives until the mount is gone.
    func unmount(keeping home: TestHome) {
        withExtendedLifetime(home) {
            _ = Self.run(["umount", point.path])
        }
    }

    /// Writes `url` until the file system has no byte left, then gives `leaving` bytes back.
    static func fill(_ url: URL, leaving: Int = 0) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0x5A, count: 4096)
        var size = block.count
        while size > 0 {
            let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress, size) }
            if written < 0 {
                guard errno == ENOSPC else { throw POSIXError(.EIO) }
                size /= 2
            }
        }
        let end = lseek(descriptor, 0, SEEK_END)
        guard ftruncate(descriptor, max(0, end - off_t(leaving))) == 0 else { throw POSIXError(.EIO) }
    }

    @discardableResult
    private static func run(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return -1
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
