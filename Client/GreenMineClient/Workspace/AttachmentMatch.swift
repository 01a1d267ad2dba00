import Foundation
import GreenMineShared

/// Finds one of a record's files by its name exactly as given, or by a prefix (4 or more hex
/// characters) of its SHA-256.
enum AttachmentMatch {
    /// The one file `query` names; refuses when none or several different files match.
    static func one(_ query: String, in files: [AttachmentRef]) throws -> AttachmentRef {
        var matches = files.filter { $0.name == query }
        if matches.isEmpty {
            let prefix = query.lowercased()
            if prefix.count >= 4, prefix.allSatisfy(\.isHexDigit) {
                matches = files.filter { $0.sha256.hasPrefix(prefix) }
            }
        }
        var distinct: [AttachmentRef] = []
        for match in matches where !distinct.contains(where: { $0.slot == match.slot && $0.sha256 == match.sha256 }) {
            distinct.append(match)
        }
        let listed = files.map { line($0) }
        guard let first = distinct.first else {
            throw ClientError(code: "attachment_not_found",
                              zh: "该记录没有名为“\(AttachmentName.visible(query))”或 SHA-256 以此开头的附件",
                              en: "the record has no file named “\(AttachmentName.visible(query))” nor one whose SHA-256 starts with it",
                              details: listed.isEmpty ? [LocalizedText(zh: "（该记录没有附件）", en: "(the record has no files)")] : listed)
        }
        guard distinct.count == 1 else {
            throw ClientError(code: "attachment_ambiguous",
                              zh: "“\(AttachmentName.visible(query))”匹配到多个附件，请改用 SHA-256 前缀指明：",
                              en: "“\(AttachmentName.visible(query))” matches several files; name one by a prefix of its SHA-256:",
                              details: distinct.map { line($0) })
        }
        return first
    }

    private static func line(_ ref: AttachmentRef) -> LocalizedText {
        let text = "\(ref.slot)  \(ref.sha256.prefix(12))  \(AttachmentName.visible(ref.name))"
        return LocalizedText(zh: text, en: text)
    }
}
