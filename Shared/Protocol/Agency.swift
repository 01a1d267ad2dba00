import Foundation

/// A third-party assessment agency (第三方评估机构) kept by the server (`greenmine-server agencies add`).
public struct Agency: Codable, Hashable, Sendable {
    /// Stable code (e.g. `AG0001`), unique regardless of case.
    public var code: String
    /// The agency's name (Chinese); what assessor accounts and assigned applications carry.
    public var name: String
    /// The province-level division codes it serves; empty: every province.
    public var provinces: [String]

    public init(code: String, name: String, provinces: [String] = []) {
        self.code = code
        self.name = name
        self.provinces = provinces
    }

    /// Whether it serves the province that holds `region` (always, when it names no province).
    public func serves(region: String?, regions: RegionTable = .standard) -> Bool {
        guard !provinces.isEmpty else { return true }
        guard let region, let province = regions.province(of: region)?.code else { return false }
        return provinces.contains(province)
    }
}

/// `GET /v1/agencies`: the agencies a reviewer may name in an assignment (the assessor's own for an
/// assessor; none for an enterprise).
public struct AgenciesResponse: Codable, Hashable, Sendable {
    public var agencies: [Agency]

    public init(agencies: [Agency]) {
        self.agencies = agencies
    }
}
