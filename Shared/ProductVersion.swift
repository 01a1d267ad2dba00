import Foundation

/// The product's version, shown by `--version` on both executables and sent in requests.
public enum ProductVersion {
    /// Semantic version of this build of GreenMine.
    public static let current = "0.1.0"
}
