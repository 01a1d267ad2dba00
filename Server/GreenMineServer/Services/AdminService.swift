import Foundation
import GreenMineShared

/// Administration: organisations, accounts, the licence registry and catalogues, with every input checked.
public struct AdminService: Sendable {
    let services: AppServices
    let regions: RegionTable

    public init(services: AppServices, regions: RegionTable = .standard) {
        self.services = services
        self.regions = regions
    }

    /// Adds an enterprise organisation after checking its credit code, name and region.
    public func addOrganisation(_ org: Organisation) async throws {
        if let violation = CreditCode.validate(org.creditCode) { throw ServiceError(.badRequest, violation) }
        if let violation = RegionCode.validate(org.region, requireCountyLevel: false, table: regions) {
            throw ServiceError(.badRequest, violation)
        }
        guard !org.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ServiceError(.badRequest, code: "name_required", en: "the organisation needs a name", zh: "单位名称不能为空")
        }
        try await services.accounts.addOrganisation(org, at: services.environment.now())
    }

    /// Adds an account: an enterprise needs an existing organisation, a reviewer a region of its level,
    /// an assessor an existing agency (by name or code; the account carries its name); the password
    /// must be strong enough.
    public func addUser(_ user: NewUser, password: String) async throws -> UserInfo {
        var user = user
        // The form logins look up and count (NFC), so one name has one spelling.
        let name = (try? AuthService.normalizedUsername(user.username)) ?? ""
        // Compared scalar by scalar: Swift's `==` takes an NFD name for its NFC form.
        guard (3...64).contains(name.count), name.unicodeScalars.elementsEqual(user.username.unicodeScalars),
              !name.contains(where: \.isWhitespace) else {
            throw ServiceError(.badRequest, code: "bad_username",
                               en: "a username has 3 to 64 characters, no spaces or control characters, in Unicode NFC",
                               zh: "用户名为 3 到 64 个字符，不能包含空格或控制字符（Unicode NFC）")
        }
        switch user.role {
        case .enterprise:
            guard let org = user.orgId, try await services.accounts.organisation(org) != nil else {
                throw ServiceError(.badRequest, code: "org_unknown",
                                   en: "an enterprise account needs --org with the credit code of an existing organisation",
                                   zh: "企业账号须用 --org 指定已存在单位的统一社会信用代码")
            }
        case .county, .city, .province:
            let level: RegionLevel = user.role == .county ? .county : (user.role == .city ? .city : .province)
            guard let code = user.region, let region = regions.region(code), region.level == level else {
                throw ServiceError(.badRequest, code: "region_level",
                                   en: "a \(user.role.rawValue) reviewer needs --region with a \(level.rawValue)-level division code",
                                   zh: "\(user.role.label.zh)账号须用 --region 指定\(level.label.zh)行政区划代码")
            }
        case .assessor:
            guard let named = user.agency, !named.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ServiceError(.badRequest, code: "agency_required", en: "an assessor account needs --agency",
                                   zh: "评估机构账号须用 --agency 指定机构名称")
            }
            guard let agency = AgencyRules.resolve(named, among: try await services.registry.agencies()) else {
                throw ServiceError(.badRequest, AgencyRules.unknown(named))
            }
            user.agency = agency.name
        case .ministry:
            break
        }
        if let weakness = AuthService.weakness(of: password, username: name) {
            throw ServiceError(.badRequest, weakness)
        }
        let hash = try await services.auth.hashNew(password)
        return try await services.accounts.addUser(id: services.environment.newId().storedString, user, password: hash,
                                                   at: services.environment.now())
    }

    /// Resets an account's password to a generated initial one that must be changed at the next login.
    /// A province may reset enterprise accounts of its province; the ministry any account (`ResetScope`).
    /// `userId` is a user's id or, failing that, a user name (issue 14): a province finds by name only
    /// the accounts it may reset (others are "no such user", so names of other provinces stay unknown
    /// to it); the ministry finds any.
    public func resetPassword(by actor: AuthenticatedUser, userId: String) async throws -> PasswordResetResponse {
        let notFound = ServiceError(.notFound, code: "user_not_found", en: "no user with this id or user name",
                                    zh: "没有该用户标识或用户名的用户")
        var found = try await services.accounts.user(id: WireIdentifier.stored(userId))
        let byName = found == nil
        if byName {
            let name = userId.trimmingCharacters(in: .whitespaces)
            found = try await services.accounts.users().first { $0.username == name }
        }
        guard let target = found else { throw notFound }
        let scope = ResetScope.of(actor)
        let orgRegion = try await target.orgId.asyncMap { try await services.accounts.organisation($0)?.region }
        guard scope.allows(role: target.role, orgRegion: orgRegion ?? nil, regions: regions) else {
            if byName && [.province, .ministry].contains(actor.info.role) { throw notFound }
            if actor.info.role == .province {
                throw ServiceError(.forbidden, code: "reset_not_allowed",
                                   en: "a province may reset only enterprise accounts of its own province",
                                   zh: "省级主管部门只能重置本省企业账号的密码")
            }
            throw ServiceError(.forbidden, code: "reset_not_allowed",
                               en: "only a province (its enterprises) or the ministry may reset passwords",
                               zh: "只有省级主管部门（本省企业）或部管理员可以重置密码")
        }
        let password = try await services.auth.resetPassword(userId: target.id)
        return PasswordResetResponse(username: target.username, initialPassword: password)
    }

    /// Adds an assessment agency: a name of 1 to 100 characters without control characters, an
    /// optional code (letters, digits, `-`, `_`; the next `AGnnnn` when nil) and the province-level
    /// codes it serves (none: every province).
    public func addAgency(name: String, code: String? = nil, provinces: [String] = []) async throws -> Agency {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw ServiceError(.badRequest, code: "agency_name",
                               en: "an agency's name has 1 to 100 characters and no control characters",
                               zh: "评估机构名称为 1 到 100 个字符，不能包含控制字符")
        }
        if let code, !(1...32).contains(code.count)
            || !code.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }) {
            throw ServiceError(.badRequest, code: "agency_code",
                               en: "an agency's code has 1 to 32 letters, digits, '-' or '_'",
                               zh: "评估机构代码为 1 到 32 个字母、数字、“-”或“_”")
        }
        for province in provinces where regions.region(province)?.level != .province {
            throw ServiceError(.badRequest, code: "region_level",
                               en: "--province needs a province-level division code; \(province) is not one",
                               zh: "--province 须为省级行政区划代码，\(province) 不是")
        }
        return try await services.registry.addAgency(code: code, name: name, provinces: Array(Set(provinces)).sorted(),
                                                     at: services.environment.now())
    }

    /// The agencies `user` may see: every one for the ministry; those serving its province for a
    /// county, city or province reviewer; its own for an assessor; none for an enterprise.
    public func agencies(for user: AuthenticatedUser) async throws -> [Agency] {
        let all = try await services.registry.agencies()
        switch user.info.role {
        case .ministry:
            return all
        case .province, .city, .county:
            return all.filter { $0.serves(region: user.info.region, regions: regions) }
        case .assessor:
            return all.filter { $0.name == user.info.agency }
        case .enterprise:
            return []
        }
    }

    /// Imports licence registry CSV: good rows are stored, bad rows are reported by line.
    public func importLicences(csv: String) async throws -> LicenceImportReport {
        let report = LicenceCSV.parse(csv, regions: regions)
        try await services.registry.upsertLicences(report.licences)
        return report
    }

    /// Imports an indicator catalogue after validating it, and publishes it to every device.
    public func importCatalogue(json: Data) async throws -> Catalogue {
        let catalogue: Catalogue
        do {
            catalogue = try Catalogue.decode(json: json)
        } catch let error as CatalogueError {
            let text = error.violations.map(\.message.en).joined(separator: "; ")
            throw ServiceError(.badRequest, code: "catalogue_invalid", en: "the catalogue is invalid: \(text)",
                               zh: "评价指标体系无效：\(error.violations.map(\.message.zh).joined(separator: "；"))")
        }
        let now = services.environment.now()
        let recordId = services.environment.newId()
        _ = try await services.records.write { tx in try await CatalogueImport.run(catalogue, at: now, recordId: recordId, in: tx) }
        return catalogue
    }
}

extension Optional {
    /// Maps the wrapped value with an async function.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
