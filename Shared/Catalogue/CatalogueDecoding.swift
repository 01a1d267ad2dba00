import Foundation

extension Catalogue {
    /// Reads a catalogue from JSON and refuses it unless it is valid.
    ///
    /// Throws `CatalogueError` with `catalogue_json` when the JSON does not have the catalogue's
    /// shape, or with every violation `validate()` finds.
    public static func decode(json: Data) throws -> Catalogue {
        let catalogue: Catalogue
        do {
            try JSONNumberScreen.check(json)
            catalogue = try JSONDecoder().decode(Catalogue.self, from: json)
        } catch {
            throw CatalogueError(violations: [RuleViolation(
                code: "catalogue_json",
                zh: "指标体系文件不是有效的指标体系 JSON：\(describe(error))",
                en: "The catalogue file is not valid catalogue JSON: \(describe(error))")])
        }
        let violations = catalogue.validate()
        guard violations.isEmpty else { throw CatalogueError(violations: violations) }
        return catalogue
    }

    /// The catalogue as JSON (sorted keys, pretty-printed), ready for `decode(json:)`.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A short account of a decoding failure: what is wrong and where.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "(root)" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key “\(key.stringValue)” at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "unreadable at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
