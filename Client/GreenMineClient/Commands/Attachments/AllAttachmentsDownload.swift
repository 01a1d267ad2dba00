import Crypto
import Foundation
import GreenMineShared

/// `get ID --all --out DIR` (issue 14): every file of a record into a folder, one after another,
/// each through `BlobDownload` (blob store first, else the server in resumable ranges, checked
/// against its SHA-256). A file already in the folder whole (its size and hash) is kept, so a run cut
/// short is resumed by running it again; one progress line per file.
struct AllAttachmentsDownload {
    var context: CommandContext
    var workspace: Workspace
    var session: Session

    /// What happened to one file.
    struct Outcome: Codable, Sendable {
        var file: AttachmentRef
        var path: String
        /// `local`, `server`, or `kept` (already there whole).
        var source: String
        var resumedFrom: Int64
    }

    func run(_ id: String, folder: URL, force: Bool) async throws {
        let record = try workspace.record(id)
        let files = record.working.attachments
        guard !files.isEmpty else {
            if context.json { return try context.emitJSON([Outcome]()) }
            return context.say("该记录没有附件。", "The record has no files.")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw ClientError(code: "out_not_folder", zh: "\(folder.path) 不是文件夹；--all 需要一个文件夹",
                              en: "\(folder.path) is not a folder; --all needs one")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let download = try BlobDownload(context: context, session: session)
        let names = Self.fileNames(files)
        var outcomes: [Outcome] = []
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        var done: Int64 = 0
        for (index, file) in files.enumerated() {
            let target = folder.appendingPathComponent(names[index])
            let progress = "[\(index + 1)/\(files.count)]"
            let outcome: Outcome
            if !force, Self.isWhole(target, file) {
                outcome = Outcome(file: file, path: target.path, source: "kept", resumedFrom: 0)
            } else {
                let result = try await download.fetch(file, to: target, force: true, context: context)
                outcome = Outcome(file: file, path: target.path, source: result.source.rawValue,
                                  resumedFrom: result.resumedFrom)
            }
            done += file.size
            outcomes.append(outcome)
            if !context.json {
                let how: String = switch outcome.source {
                case "kept": context.text("已存在，保留", "already there, kept")
                case "local": context.text("来自本地附件库", "from the local blob store")
                default: context.text("来自服务器", "from the server")
                        + (outcome.resumedFrom > 0 ? context.text("，续传", ", resumed") : "")
                }
                context.output.line("\(progress) \(AttachmentName.visible(names[index]))  \(ByteSize.text(file.size))  "
                                    + "\(how)  (\(ByteSize.text(done)) / \(ByteSize.text(total)))")
            }
        }
        if context.json { return try context.emitJSON(outcomes) }
        context.say("\(files.count) 个附件已写入 \(folder.path)，均已校验 SHA-256。",
                    "\(files.count) file(s) in \(folder.path), each SHA-256 checked.")
    }

    /// A safe, distinct file name for each attachment: its name without path separators, control
    /// characters or a leading dot; a second file of the same name gets its hash prefix before the extension.
    static func fileNames(_ files: [AttachmentRef]) -> [String] {
        var used: Set<String> = []
        return files.map { file in
            var name = String(file.name.unicodeScalars.map { scalar -> Character in
                if scalar == "/" || scalar == "\\" || AttachmentName.needsEscape(scalar)
                    || scalar.properties.generalCategory == .control { return "_" }
                return Character(scalar)
            })
            while name.hasPrefix(".") { name.removeFirst() }
            if name.isEmpty { name = String(file.sha256.prefix(12)) }
            if name.utf8.count > 200 { name = String(file.sha256.prefix(12)) + "-" + String(name.suffix(60)) }
            if used.contains(name.lowercased()) {
                let url = URL(fileURLWithPath: name)
                let ext = url.pathExtension
                let stem = url.deletingPathExtension().lastPathComponent
                name = "\(stem)-\(file.sha256.prefix(8))" + (ext.isEmpty ? "" : ".\(ext)")
            }
            used.insert(name.lowercased())
            return name
        }
    }

    /// True when `target` holds exactly the attachment (size, then SHA-256).
    static func isWhole(_ target: URL, _ file: AttachmentRef) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target.path),
              (attributes[.size] as? NSNumber)?.int64Value == file.size,
              let handle = try? FileHandle(forReadingFrom: target) else { return false }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return HexDigest.hex(hasher) == file.sha256.lowercased()
    }
}
