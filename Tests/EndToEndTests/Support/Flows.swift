import Foundation
import GreenMineShared

/// Someone who works through the HTTP API with their own device (client id and gapless seqs):
/// the province's reviewer (the client has no review commands yet) or an enterprise's second device.
actor APIUser {
    let username: String
    let token: String
    let api: ServerAPI
    private var device = APIDevice()

    init(_ username: String, in scenario: Scenario) async throws {
        self.username = username
        token = try scenario.token(username)
        api = try await scenario.api
    }

    /// Pushes the mutations `build` makes with this device's next seqs; returns their results.
    func push(_ build: (inout APIDevice) -> [Mutation]) async throws -> [MutationResult] {
        let mutations = build(&device)
        return try await api.push(token, device.request(mutations)).results
    }

    /// Fires a transition on the record's current version as this user sees it.
    func fire(_ transition: Transition, on id: UUID, comment: String? = nil) async throws -> MutationResult {
        let record = try await api.record(token, id)
        return try await fire(transition, on: record, comment: comment)
    }

    /// Fires a transition based on the given copy of the record (which may be out of date).
    func fire(_ transition: Transition, on record: GreenMineShared.Record, comment: String? = nil)
        async throws -> MutationResult {
        let results = try await push { device in
            [device.mutation(record.id, record.kind, .transition, base: record.version, transition: transition,
                             comment: comment)]
        }
        guard let result = results.first else { throw HarnessError("no result for \(transition.rawValue)") }
        return result
    }

    /// Fires a transition that must be applied; returns the record after it.
    @discardableResult
    func apply(_ transition: Transition, on id: UUID, comment: String? = nil) async throws -> GreenMineShared.Record {
        let result = try await fire(transition, on: id, comment: comment)
        guard result.status == .applied, let record = result.record else {
            throw HarnessError("\(username) \(transition.rawValue) on \(id): \(result.status) \(result.error?.code ?? "") \(result.error?.message ?? "")")
        }
        return record
    }
}

/// Multi-step set-ups through the API, for what the client cannot yet do itself.
enum Flows {
    /// A complete pre-application of demo enterprise 1 (licence 1) with its photo, made over the API
    /// by another device of demo-ent1; submitted, and accepted and approved by the province, as asked.
    static func preApplication(in scenario: Scenario, submit: Bool, approve: Bool) async throws -> UUID {
        let enterprise = try await APIUser("demo-ent1", in: scenario)
        let sha256 = try await enterprise.api.upload(enterprise.token, SampleForms.png, filename: "现场照片.png",
                                                     filetype: "image/png")
        let id = UUID()
        var fields = SampleForms.preApplication
        fields["basic.region"] = .string(SampleForms.region)
        fields["basic.licenceNumber"] = .string(SampleForms.licence1)
        let results = try await enterprise.push { device in
            [device.mutation(id, .preApplication, .create, set: fields),
             device.mutation(id, .preApplication, .attach,
                             attachment: MutationAttachment(slot: "pre.image", sha256: sha256, name: "现场照片.png"))]
        }
        for result in results where result.status != .applied {
            throw HarnessError("setting up the pre-application: \(result.status) \(result.error?.message ?? "")")
        }
        if submit || approve { try await enterprise.apply(.submit, on: id) }
        if approve {
            let province = try await APIUser("demo-province", in: scenario)
            try await province.apply(.accept, on: id)
            try await province.apply(.approve, on: id)
        }
        return id
    }
}
