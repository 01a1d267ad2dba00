import Foundation

/// A file name as the user gave it, made safe to print: kept whole in the store and in `--json`,
/// but control characters and text-direction overrides are shown as `\u{…}` escapes in a terminal,
/// so a name can neither move the cursor, colour the screen nor disguise its extension.
enum AttachmentName {
    /// The name with every invisible or terminal-controlling scalar written as an escape.
    static func visible(_ name: String) -> String {
        var shown = ""
        for scalar in name.unicodeScalars {
            if needsEscape(scalar) {
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// Control characters (C0, DEL, C1), line and paragraph separators, and bidirectional controls.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C:
            return true
        default:
            return false
        }
    }

    /// The name a file gets when the user does not give one: the last part of the path given.
    static func of(path: String) -> String {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        let last = trimmed.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        return last.isEmpty ? path : last
    }
}
