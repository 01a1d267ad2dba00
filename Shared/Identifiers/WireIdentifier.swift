import Foundation

/// How record, client, upload and application ids travel: lower-case RFC 9562 text on the wire,
/// either case accepted on the way in. Stores keep the form they always had (Foundation's upper case),
/// so existing data reads unchanged; only what is sent is lower-cased.
public enum WireIdentifier {
    /// The wire form of a UUID-shaped id, lower case; any other id (a demo user's name-like id) as given.
    public static func wire(_ id: String) -> String {
        UUID(uuidString: id).map { $0.wireString } ?? id
    }

    /// The stored form of an id received in either case: Foundation's upper-case text for a UUID,
    /// anything else as given. Used where a server lookup compares id text (user ids).
    public static func stored(_ id: String) -> String {
        UUID(uuidString: id)?.uuidString ?? id
    }
}

extension UUID {
    /// The id as it goes on the wire: lower-case hex with hyphens (RFC 9562 §4).
    public var wireString: String { uuidString.lowercased() }
}
