import Crypto
import Foundation
import GreenMineShared
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a file looks like before it is read in full: its size and first bytes.
struct FileProbe: Sendable, Hashable {
    /// Size in bytes, from the file system.
    var size: Int64
    /// The first `ContentSniffer.headLength` bytes (fewer for a shorter file).
    var head: [UInt8]

    /// The type its content says, never its name.
    var type: ContentType? { ContentSniffer.detect(head: head) }
}

/// A file copied into the blob store's temporary folder, with what one streaming pass learnt of it.
struct IngestedFile: Sendable, Hashable {
    /// The synced temporary copy.
    var temporary: URL
    /// Lowercase hex SHA-256 of the bytes copied.
    var sha256: String
    /// Bytes copied.
    var size: Int64
    /// The first `ContentSniffer.headLength` bytes.
    var head: [UInt8]
    /// The last `ContentSniffer.tailLength` bytes.
    var tail: [UInt8]

    /// The type its content says.
    var type: ContentType? { ContentSniffer.detect(head: head) }
}

/// Reads files the user attaches: a probe of size and head, then one streaming pass that copies,
/// hashes and keeps head and tail — never more than one chunk of the file in memory.
enum FileIngest {
    /// Bytes read at a time.
    static let chunkSize = 1 << 20

    /// The size and first bytes of a regular file; refuses folders, devices and pipes.
    static func probe(_ url: URL, shownAs name: String) throws -> FileProbe {
        let attributes: [FileAttributeKey: Any]
        do {
            // A symbolic link counts as the file it points to.
            attributes = try FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)
        } catch {
            throw unreadable(url, name: name, reason: LocalizedText(zh: "文件不存在或无法访问", en: "no such file, or it cannot be accessed"))
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular,
              let size = (attributes[.size] as? NSNumber)?.int64Value else {
            throw unreadable(url, name: name, reason: LocalizedText(zh: "不是普通文件", en: "not a regular file"))
        }
        let handle = try open(url, name: name)
        defer { try? handle.close() }
        let head = try read(handle, upTo: ContentSniffer.headLength, url: url, name: name)
        return FileProbe(size: size, head: [UInt8](head))
    }

    /// Copies `url` to `temporary` in chunks, computing its SHA-256 and keeping its head and tail,
    /// then syncs the copy to disk. The copy is removed when anything fails; a full disk or a
    /// read-only home is thrown as a `StorageFailure` naming `folder`.
    static func copy(_ url: URL, to temporary: URL, shownAs name: String, folder: String? = nil) throws -> IngestedFile {
        let source = try open(url, name: name)
        defer { try? source.close() }
        let target = createExclusive(temporary.path)
        guard target >= 0 else {
            throw writeFailure(errno, path: temporary.path, folder: folder)
        }
        var hasher = SHA256()
        var head: [UInt8] = []
        var tail: [UInt8] = []
        var size: Int64 = 0
        do {
            defer { close(target) }
            while true {
                let chunk = try read(source, upTo: chunkSize, url: url, name: name)
                if chunk.isEmpty { break }
                hasher.update(data: chunk)
                if head.count < ContentSniffer.headLength {
                    head += chunk.prefix(ContentSniffer.headLength - head.count)
                }
                tail = Array((tail + chunk.suffix(ContentSniffer.tailLength)).suffix(ContentSniffer.tailLength))
                try writeAll(chunk, to: target, path: temporary.path, folder: folder)
                size += Int64(chunk.count)
            }
            if fsync(target) != 0 {
                throw writeFailure(errno, path: temporary.path, folder: folder)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return IngestedFile(temporary: temporary, sha256: HexDigest.hex(hasher), size: size, head: head, tail: tail)
    }

    /// Writes all of `data` to `descriptor`, retrying short writes and interruptions.
    private static func writeAll(_ data: Data, to descriptor: Int32, path: String, folder: String?) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw writeFailure(errno, path: path, folder: folder)
                }
                offset += written
            }
        }
    }

    /// A failed write into the blob store: a `StorageFailure` for a full disk, a read-only home or
    /// an I/O error, else the blob store's own error.
    static func writeFailure(_ value: Int32, path: String, folder: String?) -> any Error {
        StorageFailure(errno: value, folder: folder)
            ?? BlobStoreError.io(path: path, reason: String(cString: strerror(value))).clientError
    }

    /// The SHA-256 of a file, read in chunks.
    static func sha256(of url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw BlobStoreError.io(path: url.path, reason: "cannot open")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return HexDigest.hex(hasher)
    }

    private static func open(_ url: URL, name: String) throws -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw unreadable(url, name: name, reason: LocalizedText(zh: "无法读取（权限不足？）", en: "cannot be read (permissions?)"))
        }
        return handle
    }

    private static func read(_ handle: FileHandle, upTo count: Int, url: URL, name: String) throws -> Data {
        do {
            return try handle.read(upToCount: count) ?? Data()
        } catch {
            throw unreadable(url, name: name, reason: LocalizedText(zh: error.localizedDescription, en: error.localizedDescription))
        }
    }

    private static func unreadable(_ url: URL, name: String, reason: LocalizedText) -> ClientError {
        ClientError(code: "file_unreadable",
                    zh: "文件“\(AttachmentName.visible(name))”（\(url.path)）\(reason.zh)",
                    en: "file “\(AttachmentName.visible(name))” (\(url.path)): \(reason.en)")
    }
}

/// Creates a new file of mode 0600 for writing (outside `FileIngest`, whose `open` hides the system's).
private func createExclusive(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
}
