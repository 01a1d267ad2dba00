import Crypto
import Foundation
import GreenMineShared
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `get` found a file.
public enum DownloadSource: String, Codable, Sendable, Hashable {
    /// Copied from the home's blob store.
    case local
    /// Fetched from the server (`GET /v1/blobs/{sha256}`).
    case server
}

/// Writes an attachment to a file the user names: copied from the blob store when it holds the
/// blob, else fetched from the server in `Range` requests of `chunkSize` bytes. Either way the bytes
/// go to a partial file next to the target, are checked against the SHA-256, synced and renamed
/// into place, so the target is whole or untouched. A partial download left by a cut is resumed.
struct BlobDownload {
    var blobs: BlobStore
    var tus: TusClient
    var retry: RetryPolicy
    var chunkSize: Int

    /// Fetches `file` into `target`; refuses to replace an existing file unless `force`.
    func fetch(_ file: AttachmentRef, to target: URL, force: Bool,
               onRetry: (APIError, Int, Duration) -> Void = { _, _, _ in }) async throws
        -> (source: DownloadSource, resumedFrom: Int64) {
        guard HexDigest.isSHA256(file.sha256) else { throw BlobStoreError.badHash(file.sha256).clientError }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isFolder) {
            if isFolder.boolValue {
                throw ClientError(code: "out_is_folder", zh: "\(target.path) 是文件夹；请给出文件路径",
                                  en: "\(target.path) is a folder; give a file path")
            }
            if !force {
                throw ClientError(code: "out_exists", zh: "文件 \(target.path) 已存在；加 --force 覆盖",
                                  en: "\(target.path) already exists; add --force to replace it")
            }
        }
        let partial = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(file.sha256.prefix(16)).greenmine-part")
        if file.size > 0, blobs.contains(file.sha256, size: file.size), let local = blobs.url(for: file.sha256) {
            try copy(local, to: partial, sha256: file.sha256)
            try place(partial, at: target)
            return (.local, 0)
        }
        let resumedFrom = try await download(file, to: partial, onRetry: onRetry)
        try place(partial, at: target)
        return (.server, resumedFrom)
    }

    /// Copies a blob from the store, checking its hash on the way.
    private func copy(_ source: URL, to partial: URL, sha256: String) throws {
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw BlobStoreError.io(path: source.path, reason: "cannot open").clientError
        }
        defer { try? input.close() }
        let output = try create(partial, truncate: true)
        defer { try? output.close() }
        var hasher = SHA256()
        while let chunk = try input.read(upToCount: FileIngest.chunkSize), !chunk.isEmpty {
            hasher.update(data: chunk)
            try output.write(contentsOf: chunk)
        }
        try finish(output, hasher: hasher, sha256: sha256, partial: partial)
    }

    /// Appends Range answers to the partial file from where it ends; returns the offset resumed at.
    private func download(_ file: AttachmentRef, to partial: URL,
                          onRetry: (APIError, Int, Duration) -> Void) async throws -> Int64 {
        let output = try create(partial, truncate: false)
        defer { try? output.close() }
        var hasher = SHA256()
        var offset = Int64(try output.seekToEnd())
        if file.size > 0, offset > file.size {
            try output.truncate(atOffset: 0)
            offset = 0
        }
        // What an earlier run left is hashed again, so the whole file is verified.
        try output.seek(toOffset: 0)
        while let chunk = try output.read(upToCount: FileIngest.chunkSize), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        try output.seek(toOffset: UInt64(offset))
        let resumedFrom = offset
        var total: Int64? = file.size > 0 ? file.size : nil
        while total.map({ offset < $0 }) ?? true {
            let count = Int64(chunkSize)
            let start = offset
            let answer = try await retry.run(onRetry: onRetry) { try await tus.blobRange(file.sha256, from: start, count: count) }
            if let size = answer.total { total = size }
            guard !answer.bytes.isEmpty else { break }
            hasher.update(data: answer.bytes)
            try output.write(contentsOf: answer.bytes)
            offset += Int64(answer.bytes.count)
        }
        try finish(output, hasher: hasher, sha256: file.sha256, partial: partial)
        return resumedFrom
    }

    private func create(_ partial: URL, truncate: Bool) throws -> FileHandle {
        if truncate || !FileManager.default.fileExists(atPath: partial.path) {
            guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                throw ClientError(code: "out_unwritable", zh: "无法写入 \(partial.deletingLastPathComponent().path)",
                                  en: "cannot write in \(partial.deletingLastPathComponent().path)")
            }
        }
        guard let handle = FileHandle(forUpdatingAtPath: partial.path) else {
            throw ClientError(code: "out_unwritable", zh: "无法写入 \(partial.path)", en: "cannot write \(partial.path)")
        }
        return handle
    }

    /// Checks the hash and syncs; a wrong hash removes the partial file.
    private func finish(_ output: FileHandle, hasher: SHA256, sha256: String, partial: URL) throws {
        let digest = HexDigest.hex(hasher)
        guard digest == sha256 else {
            try? FileManager.default.removeItem(at: partial)
            throw ClientError(code: "download_corrupt",
                              zh: "取回的文件 SHA-256 为 \(digest.prefix(12))…，与附件的 \(sha256.prefix(12))… 不符，已丢弃；请重试",
                              en: "the fetched file's SHA-256 is \(digest.prefix(12))…, not the attachment's \(sha256.prefix(12))…; it was discarded — try again")
        }
        try output.synchronize()
    }

    /// Renames the checked partial file onto the target and syncs the folder.
    private func place(_ partial: URL, at target: URL) throws {
        guard rename(partial.path, target.path) == 0 else {
            throw ClientError(code: "out_unwritable", zh: "无法写入 \(target.path)：\(String(cString: strerror(errno)))",
                              en: "cannot write \(target.path): \(String(cString: strerror(errno)))")
        }
        BlobStore.syncFolder(target.deletingLastPathComponent())
    }
}
