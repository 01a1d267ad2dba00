import Foundation

/// Stored data that cannot be read as what it must be: a storage failure, never read as a default
/// (a version's changed paths read as "none" would let a merge overwrite a foreign change).
struct StoredDataCorrupt: Error, CustomStringConvertible {
    /// Which stored value, e.g. "record_versions.changed_paths of <id> version 3".
    var what: String
    /// Why it could not be read.
    var reason: String

    var description: String { "corrupt stored data: \(what): \(reason)" }
}
