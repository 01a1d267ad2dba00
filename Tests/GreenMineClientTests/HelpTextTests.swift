import ArgumentParser
import Foundation
import Testing
@testable import GreenMineClient

/// The help screens read well in both languages. ArgumentParser wraps help text by counting
/// characters and breaking at ASCII spaces, so a line with Chinese in it (two columns a character)
/// must carry its own line breaks; these tests render every screen at 80 columns and measure it.
struct HelpTextTests {
    static let columns = 80

    /// A command with the words that call it (`greenmine review accept`).
    struct Command {
        var path: String
        var type: ParsableCommand.Type
    }

    /// The commands whose every help text must be in Chinese and English.
    static let bilingual = ["greenmine review", "greenmine assess", "greenmine cert"]

    @Test func noHelpLineIsWiderThanTheTerminal() {
        let commands = Self.tree()
        #expect(commands.count > 60)
        var wide: [String] = []
        for command in commands {
            for line in Self.help(command).split(separator: "\n", omittingEmptySubsequences: false)
            where DisplayWidth.of(String(line)) > Self.columns {
                wide.append("\(command.path) (\(DisplayWidth.of(String(line))) columns): \(line)")
            }
        }
        #expect(wide.isEmpty, "help lines wider than \(Self.columns) columns:\n\(wide.joined(separator: "\n"))")
    }

    @Test func reviewAssessAndCertHelpIsInChineseAndEnglish() {
        let commands = Self.tree().filter { command in
            Self.bilingual.contains { command.path == $0 || command.path.hasPrefix($0 + " ") }
        }
        #expect(commands.count == 20)
        for command in commands {
            let abstract = command.type.configuration.abstract
            #expect(Self.isBilingual(abstract), "\(command.path): abstract '\(abstract)'")
            let discussion = command.type.configuration.discussion
            #expect(Self.isBilingual(discussion), "\(command.path): discussion '\(discussion)'")
            let help = Self.help(command)
            #expect(Self.isBilingual(help), "\(command.path): help")
            for entry in Self.entries(of: help) where !Self.generated.contains(entry.label) {
                #expect(Self.isBilingual(entry.text), "\(command.path) \(entry.label): '\(entry.text)'")
            }
        }
    }

    /// A usage written by hand (`HelpUsage`) starts with the command, names every option and
    /// argument the command has, and none it does not have.
    @Test func handWrittenUsageNamesEveryOptionAndArgument() {
        var checked = 0
        for command in Self.tree() {
            guard let usage = command.type.configuration.usage else { continue }
            checked += 1
            #expect(usage.hasPrefix(command.path + " ") || usage == command.path, "\(command.path): '\(usage)'")
            let labels = Self.entries(of: Self.help(command)).map(\.label).filter { !Self.generated.contains($0) }
            // `--license <NO>, --licence <NO>`: every spelling of each option or argument.
            let spellings = labels.map { label in
                label.split(separator: ",").compactMap { $0.split(separator: " ").first.map(String.init) }
            }
            for names in spellings where !names.contains(where: { usage.contains($0) }) {
                Issue.record("\(command.path): the usage does not name \(names.joined(separator: " or "))")
            }
            // Option names, and positional arguments (an angled word not after an option name).
            let words = usage.split { " []\n".contains($0) }.map(String.init)
            for (index, word) in words.enumerated() where word.hasPrefix("-")
                || (word.hasPrefix("<") && !(index > 0 && words[index - 1].hasPrefix("-"))) {
                if !spellings.joined().contains(word) {
                    Issue.record("\(command.path): the usage names \(word), which is no option or argument")
                }
            }
        }
        #expect(checked >= 19)
    }

    /// The checks above would catch the defects they guard against.
    @Test func theChecksCatchWhatTheyGuardAgainst() {
        let paragraph = String(repeating: "可离线操作，下次同步时发送。", count: 4)
        #expect(DisplayWidth.of(paragraph) > Self.columns)
        #expect(!Self.isBilingual("可离线操作。"))
        #expect(!Self.isBilingual("Works offline."))
        #expect(Self.isBilingual("可离线操作 Works offline."))
        let help = """
            ARGUMENTS:
              <id>                    编号或其前缀 The id or a unique prefix.

            OPTIONS:
              --prerequisite <CODE=yes|no>
                                      先决条件是否满足 Prerequisites met.
              -h, --help              Show help information.

              See 'greenmine help assess <subcommand>' for detailed help.
            """
        let entries = Self.entries(of: help)
        #expect(entries.map(\.label) == ["<id>", "--prerequisite <CODE=yes|no>", "-h, --help"])
        #expect(entries[1].text == "先决条件是否满足 Prerequisites met.")
    }

    // MARK: - Helpers

    /// `root` and every command below it, depth first.
    static func tree(_ root: ParsableCommand.Type = GreenMineCommand.self, path: String = "") -> [Command] {
        let name = root.configuration.commandName ?? String(describing: root)
        let here = Command(path: path.isEmpty ? name : path + " " + name, type: root)
        return [here] + root.configuration.subcommands.flatMap { tree($0, path: here.path) }
    }

    static func help(_ command: Command) -> String {
        GreenMineCommand.helpMessage(for: command.type, columns: columns)
    }

    /// Entries ArgumentParser writes itself, in English only.
    static let generated: Set<String> = ["-h, --help", "--version", "help"]

    /// The entries of the ARGUMENTS, OPTIONS and SUBCOMMANDS sections: each label (indented by two)
    /// with its help text, continuation lines joined.
    static func entries(of help: String) -> [(label: String, text: String)] {
        var entries: [(label: String, text: String)] = []
        var inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if ["ARGUMENTS:", "OPTIONS:", "SUBCOMMANDS:"].contains(line) {
                inSection = true
                continue
            }
            if line.isEmpty { inSection = false }
            guard inSection, line.hasPrefix("  ") else { continue }
            let body = line.dropFirst(2)
            if body.first == " ", !entries.isEmpty {
                let text = entries[entries.count - 1].text
                entries[entries.count - 1].text = (text.isEmpty ? "" : text + " ") + body.trimmingCharacters(in: .whitespaces)
            } else {
                let parts = body.split(separator: "  ", maxSplits: 1, omittingEmptySubsequences: true)
                let label = String(parts[0]).replacingOccurrences(of: " (default)", with: "")
                entries.append((label, parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""))
            }
        }
        return entries
    }

    /// Text with Chinese (two CJK ideographs or more) and English (two words of two letters or more).
    static func isBilingual(_ text: String) -> Bool {
        let ideographs = text.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count
        let words = text.split { !($0.isASCII && $0.isLetter) }.filter { $0.count >= 2 }.count
        return ideographs >= 2 && words >= 2
    }
}
