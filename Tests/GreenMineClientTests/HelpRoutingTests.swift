import ArgumentParser
import Testing
@testable import GreenMineClient

/// Issue 14 item 6: `greenmine profile --help` lists both subcommands, whatever else is on the line.
/// ArgumentParser shows a group's help only when `--help` stands alone after it; otherwise it falls
/// to the `defaultSubcommand` (`show`) and shows that one's. The entry point routes help first.
struct HelpRoutingTests {
    /// The screen ArgumentParser prints for `greenmine ARGS` (empty when they parse as a command):
    /// asked for help, `parseAsRoot` returns its help command, whose `commandStack` ends with the
    /// command whose help it prints (read by reflection: the type is the library's own).
    static func screen(_ arguments: [String]) -> String {
        guard let parsed = try? GreenMineCommand.parseAsRoot(arguments),
              let stack = Mirror(reflecting: parsed).children.first(where: { $0.label == "commandStack" })?.value
                as? [ParsableCommand.Type],
              let shown = stack.last else { return "" }
        return GreenMineCommand.helpMessage(for: shown, columns: 80)
    }

    @Test func profileHelpListsShowAndSetWhateverIsBesideIt() {
        let asked = [["profile", "--help"], ["profile", "-h"], ["profile", "--lang", "en", "--help"],
                     ["profile", "--json", "--help"], ["--lang", "zh", "profile", "--help"], ["profile", "--help", "--lang", "en"]]
        for arguments in asked {
            let routed = HelpRouting.arguments(arguments)
            #expect(routed == ["profile", "--help"], "\(arguments)")
            let help = Self.screen(routed)
            #expect(help.contains("USAGE: greenmine profile <subcommand>"), "\(arguments): \(help)")
            #expect(help.contains("show (default)") && help.contains("查看个人资料 Show your profile."), "\(arguments)")
            #expect(help.contains("  set ") && help.contains("修改个人资料 Set fields of your profile."), "\(arguments)")
        }
        // What the defect was: with an option beside --help, ArgumentParser shows `profile show` alone.
        let unrouted = Self.screen(["profile", "--lang", "en", "--help"])
        #expect(unrouted.contains("USAGE: greenmine profile show"))
        #expect(!unrouted.contains("SUBCOMMANDS"))
    }

    @Test func otherCommandsKeepTheirArgumentsAndLeavesTheirHelp() {
        // No help asked: nothing changes.
        #expect(HelpRouting.arguments(["profile", "set", "profile.name=--help-desk"]) == ["profile", "set", "profile.name=--help-desk"])
        #expect(HelpRouting.arguments(["app", "set", "X", "--", "--help"]) == ["app", "set", "X", "--", "--help"])
        // A leaf command keeps its own arguments; one named after an option comes first.
        #expect(HelpRouting.arguments(["review", "list", "--help"]) == ["review", "list", "--help"])
        #expect(HelpRouting.arguments(["--lang", "en", "sync", "--help"]) == ["sync", "--lang", "en", "--help"])
        #expect(Self.screen(HelpRouting.arguments(["--lang", "en", "sync", "--help"])).contains("USAGE: greenmine sync"))
        // Every group with a default subcommand lists its subcommands, aliases included.
        #expect(HelpRouting.arguments(["notice", "--json", "--help"]) == ["notice", "--help"])
        for group in ["pre", "app", "review", "assess", "evidence", "notices", "conflicts", "appeal", "schedule", "downloads"] {
            let help = Self.screen(HelpRouting.arguments([group, "--lang", "en", "--help"]))
            #expect(help.contains("SUBCOMMANDS:"), "\(group): \(help)")
        }
    }
}
