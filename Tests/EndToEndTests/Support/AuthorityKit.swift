import Foundation
import GreenMineShared
import Testing

/// What the authority tests (review, assessment, certificates, appeals, resets) share: the server's
/// administration binary on a scenario's data, sample files, scoring arguments and the `--json`
/// shapes of the review commands.
enum Authority {
    static let agency = "河北绿源第三方评估中心"

    /// The first 8 characters of an id, as lists show it and people type it.
    static func short(_ id: UUID) -> String {
        String(id.uuidString.lowercased().prefix(8))
    }

    /// A complete PDF: header, some content, `%%EOF`.
    static func pdf(_ text: String) -> Data {
        Data("%PDF-1.7\n% \(text)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    }

    /// A complete JPEG: SOI, an APP0 marker, some bytes, EOI.
    static func jpeg(seed: UInt8) -> Data {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0]
        bytes += (0..<512).map { UInt8(truncatingIfNeeded: Int($0) &* 31 &+ Int(seed)) & 0x7F }
        return Data(bytes + [0xFF, 0xD9])
    }

    /// Points as the client takes them: whole numbers, else up to two decimals.
    static func points(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// `assess score` arguments: every prerequisite met, every item of the sample catalogue at
    /// `share` of its maximum, and a conclusion.
    static func scoreArguments(share: Double, summary: String) -> [String] {
        let prerequisites = Catalogue.sample.prerequisites.map { "\($0.code)=yes" }
        let items = Catalogue.sample.allItems.map { "\($0.code)=\(points($0.maxPoints * share))" }
        return ["--prerequisite"] + prerequisites + ["--item"] + items + ["--summary", summary]
    }

    /// The same scoresheet as assessment record fields (for set-ups over the API).
    static func scoreFields(share: Double) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["assessment.catalogueId": .string(Catalogue.sample.id)]
        for prerequisite in Catalogue.sample.prerequisites { fields["prerequisites.\(prerequisite.code)"] = .bool(true) }
        for item in Catalogue.sample.allItems {
            fields["scores.\(item.code)"] = .double((item.maxPoints * share * 100).rounded() / 100)
        }
        return fields
    }

    /// The total the sample catalogue gives when every item has `share` of its maximum.
    static func total(share: Double) -> Double {
        Catalogue.sample.allItems.reduce(0) { $0 + (($1.maxPoints * share * 100).rounded() / 100) }
    }

    /// A valid unified social credit code of an enterprise registered in `region` (GB 32100 check
    /// character computed).
    static func creditCode(region: String, organisation: String) throws -> String {
        let first17 = "91" + region + organisation
        guard let check = CreditCode.checkCharacter(forFirst17: first17) else {
            throw HarnessError("no credit code can be made of \(first17)")
        }
        return first17 + String(check)
    }

    // MARK: - `--json` shapes of the client's review commands

    /// A line of `review list --json`.
    struct Listed: Decodable, Sendable {
        var id: UUID
        var kind: RecordKind
        var state: RecordState
    }

    /// A line of `assess list --json`.
    struct Assessing: Decodable, Sendable {
        var id: UUID
        var state: RecordState
    }

    /// `cert download --json`.
    struct Downloaded: Decodable, Sendable {
        var json: String
        var html: String
        var certificate: SignedCertificate
        var fromServer: Bool
    }

    /// `cert verify --json`.
    struct Verified: Decodable, Sendable {
        var verdict: String
        var code: String
        var number: String
        var revokedOn: String?
    }
}

extension Scenario {
    /// Runs `greenmine-server ARGS --data DIR` (an administration command on this scenario's data,
    /// with the server stopped) to its end; it must succeed. Returns its standard output.
    @discardableResult
    func serverAdmin(_ arguments: [String], stdin: String? = nil) async throws -> String {
        let logs = root.appendingPathComponent("admin-logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let stem = arguments.prefix(2).joined(separator: "-").filter { $0.isLetter || $0 == "-" }
        let child = try ChildProcess(
            executable: try Binaries.url(Binaries.server),
            arguments: arguments + ["--data", server.dataDirectory.path],
            environment: ProcessInfo.processInfo.environment, stdin: stdin.map { Data($0.utf8) },
            outputStem: logs.appendingPathComponent("\(UUID().uuidString.prefix(8))-\(stem)"))
        let outcome = await child.finish(timeout: 120)
        guard outcome.exitedCleanly else {
            throw HarnessError("greenmine-server \(arguments.joined(separator: " ")) failed: \(outcome)")
        }
        return outcome.stdout
    }

    /// New client homes, each logged in as its account, the logins run side by side (each costs the
    /// server a password hash): home name → account.
    func loggedInHomes(_ accounts: KeyValuePairs<String, String>) async throws -> [String: ClientHome] {
        let pairs = accounts.map { ($0.key, $0.value) }
        return try await withThrowingTaskGroup(of: (String, ClientHome).self) { group in
            for (name, user) in pairs {
                group.addTask { (name, try await self.loggedInHome(name, as: user)) }
            }
            var homes: [String: ClientHome] = [:]
            for try await (name, home) in group { homes[name] = home }
            return homes
        }
    }

    /// `greenmine-server users add … --password-stdin`; returns the new account's id.
    @discardableResult
    func addAccount(_ username: String, role: Role, password: String, org: String? = nil, region: String? = nil,
                    agency: String? = nil) async throws -> String {
        var arguments = ["users", "add", "--username", username, "--role", role.rawValue, "--password-stdin"]
        if let org { arguments += ["--org", org] }
        if let region { arguments += ["--region", region] }
        if let agency { arguments += ["--agency", agency] }
        let printed = try await serverAdmin(arguments, stdin: password + "\n")
        guard let range = printed.range(of: " id ") else {
            throw HarnessError("users add printed no id: \(printed)")
        }
        return String(printed[range.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension ClientHome {
    /// Runs a command that must be refused: it must end (not be killed) with `status`, and say why on
    /// standard error. Returns the outcome for further checks.
    @discardableResult
    func refused(_ arguments: [String], status: Int32 = 1, saying expected: [String],
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProcessOutcome {
        let outcome = try await run(arguments)
        #expect(!outcome.signalled && !outcome.timedOut && outcome.status == status,
                "greenmine \(arguments.joined(separator: " ")) should exit \(status): \(outcome)",
                sourceLocation: sourceLocation)
        for text in expected {
            #expect(outcome.stderr.contains(text),
                    "greenmine \(arguments.joined(separator: " ")) should say “\(text)”: \(outcome)",
                    sourceLocation: sourceLocation)
        }
        return outcome
    }

    /// `review list ARGS --json`: the records under review this home holds.
    func listed(_ arguments: [String]) async throws -> [Authority.Listed] {
        try await json([Authority.Listed].self, arguments)
    }
}
