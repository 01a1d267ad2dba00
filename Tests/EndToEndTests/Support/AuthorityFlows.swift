import Foundation
import GreenMineShared

/// Any account working through the HTTP API with a device of its own (its client id and gapless
/// seqs): for set-up steps a test is not about, and to show the server refuses what the client
/// would never send. Signs in with the template's session when it has one, else with the password.
actor APIAccount {
    let username: String
    let token: String
    let api: ServerAPI
    private var device = APIDevice()

    init(_ username: String, in scenario: Scenario, password: String? = nil) async throws {
        self.username = username
        api = try await scenario.api
        if password == nil, let token = scenario.tokens[username] {
            self.token = token
        } else {
            token = try await api.login(username, try password ?? scenario.password(username))
        }
    }

    /// Pushes one mutation made with this device's next seq; returns its result.
    func push(_ recordId: UUID, _ kind: RecordKind, _ op: MutationOp, base: Int? = nil,
              set: [String: JSONValue]? = nil, transition: Transition? = nil, comment: String? = nil,
              agency: String? = nil, parent: UUID? = nil) async throws -> MutationResult {
        var mutation = device.mutation(recordId, kind, op, base: base, set: set, transition: transition, comment: comment)
        mutation.agency = agency
        mutation.parentId = parent
        guard let result = try await api.push(token, device.request([mutation])).results.first else {
            throw HarnessError("\(username): no result for \(op.rawValue) on \(recordId)")
        }
        return result
    }

    /// Creates a record that must be applied.
    func create(_ id: UUID, _ kind: RecordKind, _ fields: [String: JSONValue], parent: UUID? = nil) async throws {
        let result = try await push(id, kind, .create, set: fields, parent: parent)
        guard result.status == .applied else {
            throw HarnessError("\(username) create \(kind.rawValue): \(result.status) \(result.error?.code ?? "") \(result.error?.message ?? "")")
        }
    }

    /// Uploads `data` and attaches it to the record in `slot`; the attach must be applied.
    func attach(_ data: Data, name: String, mime: String, slot: String, to id: UUID) async throws {
        let sha256 = try await api.upload(token, data, filename: name, filetype: mime)
        let record = try await api.record(token, id)
        var mutation = device.mutation(id, record.kind, .attach, base: record.version)
        mutation.attachment = MutationAttachment(slot: slot, sha256: sha256, name: name)
        let result = try await api.push(token, device.request([mutation])).results.first
        guard let result, result.status == .applied else {
            throw HarnessError("\(username) attach \(name): \(String(describing: result?.status)) \(result?.error?.message ?? "")")
        }
    }

    /// Fires a transition on the record's current version as this account sees it.
    func fire(_ transition: Transition, on id: UUID, comment: String? = nil, agency: String? = nil)
        async throws -> MutationResult {
        let record = try await api.record(token, id)
        return try await push(id, record.kind, .transition, base: record.version, transition: transition,
                              comment: comment, agency: agency)
    }

    /// Fires a transition that must be applied.
    func apply(_ transition: Transition, on id: UUID, comment: String? = nil, agency: String? = nil) async throws {
        let result = try await fire(transition, on: id, comment: comment, agency: agency)
        guard result.status == .applied else {
            throw HarnessError("\(username) \(transition.rawValue) on \(id): \(result.status) \(result.error?.code ?? "") \(result.error?.message ?? "")")
        }
    }
}

extension Flows {
    /// Demo enterprise 1's application, approved with a passing assessment (every item at 90%),
    /// its certificate issued — every step over the API. Returns the pre-application and the application.
    static func approvedApplication(in scenario: Scenario) async throws -> (pre: UUID, application: UUID) {
        let pre = try await preApplication(in: scenario, submit: true, approve: true)
        let enterprise = try await APIAccount("demo-ent1", in: scenario)
        let application = UUID()
        try await enterprise.create(application, .application, SampleForms.application)
        try await enterprise.apply(.submit, on: application)
        let province = try await APIAccount("demo-province", in: scenario)
        try await province.apply(.accept, on: application)
        try await province.apply(.assign, on: application, agency: Authority.agency)
        let assessor = try await APIAccount("demo-assessor", in: scenario)
        let assessment = UUID()
        try await assessor.create(assessment, .assessment, Authority.scoreFields(share: 0.9), parent: application)
        try await assessor.attach(Authority.pdf("评估报告"), name: "评估报告.pdf", mime: "application/pdf",
                                  slot: "assessment.report", to: assessment)
        try await assessor.apply(.completeAssessment, on: application)
        try await province.apply(.approve, on: application)
        return (pre, application)
    }
}
