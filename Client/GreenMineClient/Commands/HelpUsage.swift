/// Usage lines that fit an 80-column terminal. ArgumentParser writes a generated synopsis on one
/// line however long it is, the common options first; a command that sets
/// `CommandConfiguration.usage` to `HelpUsage.of(…)` shows its own arguments first, then the common
/// options, wrapped with a hanging indent. `HelpTextTests` checks that every option and argument of
/// the command is named, so a new option cannot be left out.
enum HelpUsage {
    /// The options of `GlobalOptions`, as ArgumentParser writes them.
    static let common = "[--home <DIR>] [--lang <zh|en>] [--json]"

    /// Columns after `USAGE: ` (ArgumentParser also indents continuation lines by 7).
    static let width = 73

    /// `command own common`, wrapped between bracketed groups (the common options kept together);
    /// continuation lines start with two spaces.
    static func of(_ command: String, _ own: String = "") -> String {
        var lines: [String] = []
        var line = ""
        for group in groups(command + " " + own) + [common] {
            if line.isEmpty {
                line = group
            } else if DisplayWidth.of(line) + 1 + DisplayWidth.of(group) <= width {
                line += " " + group
            } else {
                lines.append(line)
                line = "  " + group
            }
        }
        return (lines + [line]).joined(separator: "\n")
    }

    /// The words of a synopsis, a bracketed or angled group (`[--item <CODE=POINTS> ...]`) kept whole.
    private static func groups(_ synopsis: String) -> [String] {
        var groups: [String] = []
        var current = ""
        var depth = 0
        for character in synopsis {
            switch character {
            case "[", "<": depth += 1
            case "]", ">": depth -= 1
            default: break
            }
            if character == " ", depth == 0 {
                if !current.isEmpty { groups.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }
}
