import Foundation
import GreenMineShared

/// Reads the signed certificate a `certificate` record carries (`certificate.signed`, JSON text).
enum CertificateRecord {
    /// The signed certificate in the record, if it holds a readable one.
    static func signed(in record: Record) -> SignedCertificate? {
        guard record.kind == .certificate, let text = record.fields[SignedCertificate.fieldPath]?.string else {
            return nil
        }
        return try? WireCoding.decode(SignedCertificate.self, from: Data(text.utf8))
    }
}
