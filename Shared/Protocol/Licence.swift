import Foundation

/// One entry of the licence registry (矿业权统一配号系统), used to fill fields that must not be typed twice.
public struct LicenceInfo: Codable, Hashable, Sendable {
    /// 采矿许可证号.
    public var number: String
    /// 采矿权人.
    public var holder: String
    /// The holder's unified social credit code.
    public var creditCode: String
    /// 矿山名称.
    public var mineName: String
    /// 开采主矿种.
    public var mainMineral: String
    /// 开采方式 (a value of the form's `basic.miningMethod` options).
    public var miningMethod: String
    /// 生产规模, 万吨/年.
    public var scale: Double?
    /// 矿区面积, km².
    public var area: Double?
    /// Division code.
    public var region: String
    /// Valid from, `YYYY-MM-DD`.
    public var validFrom: String
    /// Valid to, `YYYY-MM-DD`.
    public var validTo: String

    public init(number: String, holder: String, creditCode: String, mineName: String, mainMineral: String,
                miningMethod: String, scale: Double?, area: Double?, region: String, validFrom: String,
                validTo: String) {
        self.number = number
        self.holder = holder
        self.creditCode = creditCode
        self.mineName = mineName
        self.mainMineral = mainMineral
        self.miningMethod = miningMethod
        self.scale = scale
        self.area = area
        self.region = region
        self.validFrom = validFrom
        self.validTo = validTo
    }

    /// The form fields this registry entry fills, by dotted path.
    public var formFields: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "basic.licenceNumber": .string(number),
            "basic.holder": .string(holder),
            "basic.creditCode": .string(creditCode),
            "basic.mineName": .string(mineName),
            "basic.mainMineral": .string(mainMineral),
            "basic.miningMethod": .string(miningMethod),
            "basic.region": .string(region),
            "basic.licenceValidFrom": .string(validFrom),
            "basic.licenceValidTo": .string(validTo),
        ]
        if let scale { fields["basic.productionScale"] = .double(scale) }
        if let area { fields["basic.area"] = .double(area) }
        return fields
    }
}

/// `GET /healthz` answer.
public struct HealthResponse: Codable, Hashable, Sendable {
    public var status: String
    public var version: String

    public init(status: String, version: String) {
        self.status = status
        self.version = version
    }
}

/// `GET /v1/licenses`: the registry entries of the caller's organisation, cached by the client at
/// login and sync so that a pre-application typed offline is still filled from the registry.
public struct LicencesResponse: Codable, Hashable, Sendable {
    /// The organisation's licences, by number; empty for accounts without an organisation.
    public var licences: [LicenceInfo]

    public init(licences: [LicenceInfo]) {
        self.licences = licences
    }
}
