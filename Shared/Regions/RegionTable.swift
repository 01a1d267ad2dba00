import Foundation

/// The table of administrative divisions (GB/T 2260) with look-ups along the parent chain.
///
/// Containment always follows the `parent` column, never code prefixes: a province-administered
/// county-level city such as 济源市 (419001) sits directly under 河南省 (410000), not under 410100.
public struct RegionTable: Sendable {
    /// Every region by code.
    let byCode: [String: Region]
    /// Every region, sorted by code.
    let ordered: [Region]
    /// The codes of each region's direct children, sorted.
    let childCodes: [String: [String]]

    /// The table shipped inside the module (`RegionData.generated.swift`), parsed once at first use.
    public static let standard: RegionTable = {
        do {
            return try RegionTable(csv: RegionData.csv)
        } catch {
            // The embedded table is build-time data checked by the tests; a failure here is a
            // broken build, not bad input, and an empty table would silently refuse every region.
            let reason = (error as? RuleViolation)?.message.en ?? String(describing: error)
            preconditionFailure("embedded region table is invalid: \(reason)")
        }
    }()

    /// Builds the table from regions already checked by the CSV reader.
    init(checked regions: [Region]) {
        let ordered = regions.sorted { $0.code < $1.code }
        var byCode: [String: Region] = [:]
        var childCodes: [String: [String]] = [:]
        for region in ordered {
            byCode[region.code] = region
            if let parent = region.parent {
                childCodes[parent, default: []].append(region.code)
            }
        }
        self.ordered = ordered
        self.byCode = byCode
        self.childCodes = childCodes
    }

    /// The number of regions in the table.
    public var count: Int { ordered.count }

    /// Every region, sorted by code.
    public var all: [Region] { ordered }

    /// The region with this code, or nil when the table does not know it.
    public func region(_ code: String) -> Region? {
        byCode[code]
    }

    /// The parent chain of a region, nearest first (county → city → province); empty for a province or an unknown code.
    public func ancestors(of code: String) -> [Region] {
        var chain: [Region] = []
        var next = byCode[code]?.parent
        // Levels strictly decrease along the chain (checked on reading), so it has at most two links;
        // the bound only guards against a table built some other way.
        while let parentCode = next, let parent = byCode[parentCode], chain.count < RegionLevel.allCases.count {
            chain.append(parent)
            next = parent.parent
        }
        return chain
    }

    /// The direct children of a region, sorted by code; empty for a county or an unknown code.
    public func children(of code: String) -> [Region] {
        (childCodes[code] ?? []).compactMap { byCode[$0] }
    }

    /// The regions whose name contains the given text (surrounding white space ignored), sorted by code; empty for blank text.
    public func search(name: String) -> [Region] {
        let needle = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !needle.isEmpty else { return [] }
        return ordered.filter { $0.name.contains(needle) }
    }

    /// True when the code is in the table at county level (including province-administered county-level cities).
    public func isCountyLevel(_ code: String) -> Bool {
        byCode[code]?.level == .county
    }

    /// True when `inner` is in the table and is `outer` itself or lies inside it along the parent chain.
    public func contains(_ outer: String, _ inner: String) -> Bool {
        guard byCode[inner] != nil else { return false }
        if outer == inner { return true }
        return ancestors(of: inner).contains { $0.code == outer }
    }

    /// The province a region belongs to (the region itself for a province); nil for an unknown code.
    public func province(of code: String) -> Region? {
        guard let region = byCode[code] else { return nil }
        if region.level == .province { return region }
        return ancestors(of: code).first { $0.level == .province }
    }

    /// The names from province down to the region, e.g. `河南省 / 济源市`; a repeated name
    /// (北京市 / 北京市 for a municipality and its city) is shown once; an unknown code is returned as is.
    public func displayPath(of code: String, separator: String = " / ") -> String {
        guard let region = byCode[code] else { return code }
        var names: [String] = []
        for step in ancestors(of: code).reversed() + [region] where names.last != step.name {
            names.append(step.name)
        }
        return names.joined(separator: separator)
    }
}
