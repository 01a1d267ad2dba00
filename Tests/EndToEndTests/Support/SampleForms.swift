import Foundation
import GreenMineShared

/// Complete, valid form contents for demo enterprise 1 (licence 1, county 130102), as the tests
/// type them on the command line and as the server must end up holding them (Shared `SampleFiling`).
enum SampleForms {
    static let region = SampleFiling.region
    /// DemoData.licence(1): the licence of demo enterprise 1.
    static let licence1 = SampleFiling.licence

    /// Every field of the pre-application form, the optional remark included.
    static let preApplication = SampleFiling.preApplication

    /// Every field of the application form (the optional ones included), consistent with the
    /// licence registry's entry for licence 1 and with organisation 1's credit code.
    static let application = SampleFiling.application()

    /// A value as a user types it: 是/否 for yes/no, plain numbers, text as is.
    static func typed(_ value: JSONValue) -> String { SampleFiling.typed(value) }

    /// `PATH=VALUE` arguments for `pre set` / `app set`.
    static func assignments(_ fields: [String: JSONValue]) -> [String] { SampleFiling.assignments(fields) }

    /// The fields of one section of the application form, in the order `app fill` asks for them.
    static func section(_ id: String) -> [FormField] {
        FormSchema.sections(for: .application).first { $0.id == id }?.fields ?? []
    }

    /// A 1×1 PNG (content type comes from these bytes, not from the name).
    static let png = Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!

    /// The fields as the user typed them: without the server's process trail (issue 14).
    static func typed(_ fields: [String: JSONValue]) -> [String: JSONValue] {
        fields.filter { $0.key != ProcessTrail.path }
    }

    /// Compares field sets by value (numbers by value, whatever their JSON spelling).
    static func differences(_ actual: [String: JSONValue], _ expected: [String: JSONValue]) -> [String] {
        var problems: [String] = []
        for path in Set(actual.keys).union(expected.keys).sorted() where actual[path] != expected[path] {
            problems.append("\(path): \(actual[path].map { "\($0)" } ?? "—") ≠ expected \(expected[path].map { "\($0)" } ?? "—")")
        }
        return problems
    }
}

/// Seeded randomness (SplitMix64) so a failing run can be repeated: GREENMINE_E2E_SEED sets the seed.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private(set) var state: UInt64
    let seed: UInt64

    init(_ label: String) {
        if let text = ProcessInfo.processInfo.environment["GREENMINE_E2E_SEED"], let value = UInt64(text) {
            seed = value
        } else {
            seed = UInt64.random(in: 1...UInt64(UInt32.max))
        }
        state = seed
        print("[e2e] \(label): random seed \(seed) (repeat with GREENMINE_E2E_SEED=\(seed))")
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
