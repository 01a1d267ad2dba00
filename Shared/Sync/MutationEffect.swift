import Foundation

/// The effect of one mutation on a record, the one rule the server, the client and the tests' fake
/// share: the merge rule of a patch, the region a record lies in, the version stamp, and attach and
/// detach as set operations. Pure: the caller decides first whether the mutation is allowed.
public enum MutationEffect {
    /// The field paths changed by versions another client made after the mutation's base.
    public struct ForeignChanges: Hashable, Sendable {
        /// Every path a foreign version changed.
        public var paths: Set<String>
        /// Whether any foreign version exists (even one that changed no field, e.g. a state).
        public var exist: Bool

        /// No foreign version: the mutation was made on the record's latest version.
        public static let none = ForeignChanges(versions: [[String]]())

        /// From the changed paths of each foreign version.
        public init<Paths: Sequence>(versions: [Paths]) where Paths.Element == String {
            paths = Set(versions.flatMap { $0 })
            exist = !versions.isEmpty
        }
    }

    /// What a patch did under the merge rule.
    public struct PatchOutcome: Hashable, Sendable {
        /// The record after the patch: stamped with a new version when `changed` is not empty,
        /// otherwise the record as it was.
        public var record: Record
        /// The paths whose values changed, sorted.
        public var changed: [String]
        /// The paths the patch sets to a new value that a foreign version changed too: kept as they are.
        public var conflicts: [FieldConflict]
        /// `conflict` when there are conflicts, otherwise `merged` after foreign versions, else `applied`.
        public var status: MutationStatus
    }

    /// The merge rule: every path of `set` whose value differs from the record's is written (`null`
    /// clears it) unless a foreign version changed that path since the base, which makes it a
    /// conflict; equal values are skipped. When anything changed, the region follows the kind's
    /// region field and the record gets the next version, stamped `now` by `userId`.
    public static func patch(_ record: Record, set: [String: JSONValue], foreign: ForeignChanges,
                             parentRegion: String?, regions: RegionTable,
                             at now: Date, by userId: String) -> PatchOutcome {
        var next = record
        var conflicts: [FieldConflict] = []
        var changed: [String] = []
        for (path, value) in set.sorted(by: { $0.key < $1.key }) {
            let current = next.fields[path] ?? .null
            if current == value { continue }
            if foreign.paths.contains(path) {
                conflicts.append(FieldConflict(path: path, mine: value, theirs: current))
                continue
            }
            next.fields[path] = value == .null ? nil : value
            changed.append(path)
        }
        if !changed.isEmpty {
            next.region = region(of: next, parentRegion: parentRegion, regions: regions)
            next = stamped(next, at: now, by: userId)
        }
        let status: MutationStatus = !conflicts.isEmpty ? .conflict : (foreign.exist ? .merged : .applied)
        return PatchOutcome(record: next, changed: changed, conflicts: conflicts, status: status)
    }

    /// The region a record lies in: the value of its kind's region field when that is a known region
    /// code (nil otherwise); for a kind without one, its parent's region.
    public static func region(of record: Record, parentRegion: String?, regions: RegionTable) -> String? {
        if let path = FormSchema.regionPath(for: record.kind) {
            guard let code = record.text(path), regions.region(code) != nil else { return nil }
            return code
        }
        return parentRegion
    }

    /// The record as its next version, made at `now` by `userId`.
    public static func stamped(_ record: Record, at now: Date, by userId: String) -> Record {
        var next = record
        next.version += 1
        next.updatedAt = now
        next.updatedBy = userId
        return next
    }

    /// The record with the file added, or nil when it already holds this (slot, SHA-256): attaching
    /// is a set operation, so the same file attached twice changes nothing. Not stamped.
    public static func attaching(_ file: AttachmentRef, to record: Record) -> Record? {
        guard record.attachment(slot: file.slot, sha256: file.sha256) == nil else { return nil }
        var next = record
        next.attach(file)
        return next
    }

    /// The record without the file (slot, SHA-256) and the file removed, or nil when the record does
    /// not hold it: removing what is absent changes nothing. Not stamped.
    public static func detaching(slot: String, sha256: String, from record: Record)
        -> (record: Record, removed: AttachmentRef)? {
        guard let removed = record.attachment(slot: slot, sha256: sha256) else { return nil }
        var next = record
        next.detach(slot: slot, sha256: sha256)
        return (next, removed)
    }
}
